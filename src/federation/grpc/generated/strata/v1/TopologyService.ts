// Original file: proto/strata/v1/topology.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetTopologyRequest as _strata_v1_GetTopologyRequest, GetTopologyRequest__Output as _strata_v1_GetTopologyRequest__Output } from '../../strata/v1/GetTopologyRequest';
import type { GetTopologyResponse as _strata_v1_GetTopologyResponse, GetTopologyResponse__Output as _strata_v1_GetTopologyResponse__Output } from '../../strata/v1/GetTopologyResponse';

export interface TopologyServiceClient extends grpc.Client {
  GetTopology(argument: _strata_v1_GetTopologyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_GetTopologyResponse__Output>): grpc.ClientUnaryCall;
  GetTopology(argument: _strata_v1_GetTopologyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_GetTopologyResponse__Output>): grpc.ClientUnaryCall;
  GetTopology(argument: _strata_v1_GetTopologyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_GetTopologyResponse__Output>): grpc.ClientUnaryCall;
  GetTopology(argument: _strata_v1_GetTopologyRequest, callback: grpc.requestCallback<_strata_v1_GetTopologyResponse__Output>): grpc.ClientUnaryCall;
  getTopology(argument: _strata_v1_GetTopologyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_GetTopologyResponse__Output>): grpc.ClientUnaryCall;
  getTopology(argument: _strata_v1_GetTopologyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_GetTopologyResponse__Output>): grpc.ClientUnaryCall;
  getTopology(argument: _strata_v1_GetTopologyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_GetTopologyResponse__Output>): grpc.ClientUnaryCall;
  getTopology(argument: _strata_v1_GetTopologyRequest, callback: grpc.requestCallback<_strata_v1_GetTopologyResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface TopologyServiceHandlers extends grpc.UntypedServiceImplementation {
  GetTopology: grpc.handleUnaryCall<_strata_v1_GetTopologyRequest__Output, _strata_v1_GetTopologyResponse>;
  
}

export interface TopologyServiceDefinition extends grpc.ServiceDefinition {
  GetTopology: MethodDefinition<_strata_v1_GetTopologyRequest, _strata_v1_GetTopologyResponse, _strata_v1_GetTopologyRequest__Output, _strata_v1_GetTopologyResponse__Output>
}
