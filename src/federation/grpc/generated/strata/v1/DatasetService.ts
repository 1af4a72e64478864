// Original file: proto/strata/v1/dataset.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DatasetHead as _strata_v1_DatasetHead, DatasetHead__Output as _strata_v1_DatasetHead__Output } from '../../strata/v1/DatasetHead';
import type { WatchDatasetRequest as _strata_v1_WatchDatasetRequest, WatchDatasetRequest__Output as _strata_v1_WatchDatasetRequest__Output } from '../../strata/v1/WatchDatasetRequest';

export interface DatasetServiceClient extends grpc.Client {
  WatchDataset(argument: _strata_v1_WatchDatasetRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_strata_v1_DatasetHead__Output>;
  WatchDataset(argument: _strata_v1_WatchDatasetRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_strata_v1_DatasetHead__Output>;
  watchDataset(argument: _strata_v1_WatchDatasetRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_strata_v1_DatasetHead__Output>;
  watchDataset(argument: _strata_v1_WatchDatasetRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_strata_v1_DatasetHead__Output>;
  
}

export interface DatasetServiceHandlers extends grpc.UntypedServiceImplementation {
  WatchDataset: grpc.handleServerStreamingCall<_strata_v1_WatchDatasetRequest__Output, _strata_v1_DatasetHead>;
  
}

export interface DatasetServiceDefinition extends grpc.ServiceDefinition {
  WatchDataset: MethodDefinition<_strata_v1_WatchDatasetRequest, _strata_v1_DatasetHead, _strata_v1_WatchDatasetRequest__Output, _strata_v1_DatasetHead__Output>
}
