import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { BackupChunk as _strata_v1_BackupChunk, BackupChunk__Output as _strata_v1_BackupChunk__Output } from './strata/v1/BackupChunk';
import type { BackupRequest as _strata_v1_BackupRequest, BackupRequest__Output as _strata_v1_BackupRequest__Output } from './strata/v1/BackupRequest';
import type { BackupServiceClient as _strata_v1_BackupServiceClient, BackupServiceDefinition as _strata_v1_BackupServiceDefinition } from './strata/v1/BackupService';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  strata: {
    v1: {
      BackupChunk: MessageTypeDefinition<_strata_v1_BackupChunk, _strata_v1_BackupChunk__Output>
      BackupRequest: MessageTypeDefinition<_strata_v1_BackupRequest, _strata_v1_BackupRequest__Output>
      BackupService: SubtypeConstructor<typeof grpc.Client, _strata_v1_BackupServiceClient> & { service: _strata_v1_BackupServiceDefinition }
    }
  }
}

