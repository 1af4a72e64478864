import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { DatasetHead as _strata_v1_DatasetHead, DatasetHead__Output as _strata_v1_DatasetHead__Output } from './strata/v1/DatasetHead';
import type { DatasetServiceClient as _strata_v1_DatasetServiceClient, DatasetServiceDefinition as _strata_v1_DatasetServiceDefinition } from './strata/v1/DatasetService';
import type { WatchDatasetRequest as _strata_v1_WatchDatasetRequest, WatchDatasetRequest__Output as _strata_v1_WatchDatasetRequest__Output } from './strata/v1/WatchDatasetRequest';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  strata: {
    v1: {
      DatasetHead: MessageTypeDefinition<_strata_v1_DatasetHead, _strata_v1_DatasetHead__Output>
      DatasetService: SubtypeConstructor<typeof grpc.Client, _strata_v1_DatasetServiceClient> & { service: _strata_v1_DatasetServiceDefinition }
      WatchDatasetRequest: MessageTypeDefinition<_strata_v1_WatchDatasetRequest, _strata_v1_WatchDatasetRequest__Output>
    }
  }
}

