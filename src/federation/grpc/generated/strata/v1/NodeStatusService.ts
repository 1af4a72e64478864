// Original file: proto/strata/v1/status.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetNodeStatusRequest as _strata_v1_GetNodeStatusRequest, GetNodeStatusRequest__Output as _strata_v1_GetNodeStatusRequest__Output } from '../../strata/v1/GetNodeStatusRequest';
import type { GetNodeStatusResponse as _strata_v1_GetNodeStatusResponse, GetNodeStatusResponse__Output as _strata_v1_GetNodeStatusResponse__Output } from '../../strata/v1/GetNodeStatusResponse';

export interface NodeStatusServiceClient extends grpc.Client {
  GetNodeStatus(argument: _strata_v1_GetNodeStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_GetNodeStatusResponse__Output>): grpc.ClientUnaryCall;
  GetNodeStatus(argument: _strata_v1_GetNodeStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_GetNodeStatusResponse__Output>): grpc.ClientUnaryCall;
  GetNodeStatus(argument: _strata_v1_GetNodeStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_GetNodeStatusResponse__Output>): grpc.ClientUnaryCall;
  GetNodeStatus(argument: _strata_v1_GetNodeStatusRequest, callback: grpc.requestCallback<_strata_v1_GetNodeStatusResponse__Output>): grpc.ClientUnaryCall;
  getNodeStatus(argument: _strata_v1_GetNodeStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_GetNodeStatusResponse__Output>): grpc.ClientUnaryCall;
  getNodeStatus(argument: _strata_v1_GetNodeStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_GetNodeStatusResponse__Output>): grpc.ClientUnaryCall;
  getNodeStatus(argument: _strata_v1_GetNodeStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_GetNodeStatusResponse__Output>): grpc.ClientUnaryCall;
  getNodeStatus(argument: _strata_v1_GetNodeStatusRequest, callback: grpc.requestCallback<_strata_v1_GetNodeStatusResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface NodeStatusServiceHandlers extends grpc.UntypedServiceImplementation {
  GetNodeStatus: grpc.handleUnaryCall<_strata_v1_GetNodeStatusRequest__Output, _strata_v1_GetNodeStatusResponse>;
  
}

export interface NodeStatusServiceDefinition extends grpc.ServiceDefinition {
  GetNodeStatus: MethodDefinition<_strata_v1_GetNodeStatusRequest, _strata_v1_GetNodeStatusResponse, _strata_v1_GetNodeStatusRequest__Output, _strata_v1_GetNodeStatusResponse__Output>
}
