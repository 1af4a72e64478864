// Original file: proto/strata/v1/naming.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ResolveRequest as _strata_v1_ResolveRequest, ResolveRequest__Output as _strata_v1_ResolveRequest__Output } from '../../strata/v1/ResolveRequest';
import type { ResolveResponse as _strata_v1_ResolveResponse, ResolveResponse__Output as _strata_v1_ResolveResponse__Output } from '../../strata/v1/ResolveResponse';

export interface ResolverServiceClient extends grpc.Client {
  Resolve(argument: _strata_v1_ResolveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ResolveResponse__Output>): grpc.ClientUnaryCall;
  Resolve(argument: _strata_v1_ResolveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_ResolveResponse__Output>): grpc.ClientUnaryCall;
  Resolve(argument: _strata_v1_ResolveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ResolveResponse__Output>): grpc.ClientUnaryCall;
  Resolve(argument: _strata_v1_ResolveRequest, callback: grpc.requestCallback<_strata_v1_ResolveResponse__Output>): grpc.ClientUnaryCall;
  resolve(argument: _strata_v1_ResolveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ResolveResponse__Output>): grpc.ClientUnaryCall;
  resolve(argument: _strata_v1_ResolveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_ResolveResponse__Output>): grpc.ClientUnaryCall;
  resolve(argument: _strata_v1_ResolveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ResolveResponse__Output>): grpc.ClientUnaryCall;
  resolve(argument: _strata_v1_ResolveRequest, callback: grpc.requestCallback<_strata_v1_ResolveResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface ResolverServiceHandlers extends grpc.UntypedServiceImplementation {
  Resolve: grpc.handleUnaryCall<_strata_v1_ResolveRequest__Output, _strata_v1_ResolveResponse>;
  
}

export interface ResolverServiceDefinition extends grpc.ServiceDefinition {
  Resolve: MethodDefinition<_strata_v1_ResolveRequest, _strata_v1_ResolveResponse, _strata_v1_ResolveRequest__Output, _strata_v1_ResolveResponse__Output>
}
