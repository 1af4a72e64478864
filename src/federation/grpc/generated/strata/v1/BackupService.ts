// Original file: proto/strata/v1/backup.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { BackupChunk as _strata_v1_BackupChunk, BackupChunk__Output as _strata_v1_BackupChunk__Output } from '../../strata/v1/BackupChunk';
import type { BackupRequest as _strata_v1_BackupRequest, BackupRequest__Output as _strata_v1_BackupRequest__Output } from '../../strata/v1/BackupRequest';

export interface BackupServiceClient extends grpc.Client {
  Backup(argument: _strata_v1_BackupRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_strata_v1_BackupChunk__Output>;
  Backup(argument: _strata_v1_BackupRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_strata_v1_BackupChunk__Output>;
  backup(argument: _strata_v1_BackupRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_strata_v1_BackupChunk__Output>;
  backup(argument: _strata_v1_BackupRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_strata_v1_BackupChunk__Output>;
  
}

export interface BackupServiceHandlers extends grpc.UntypedServiceImplementation {
  Backup: grpc.handleServerStreamingCall<_strata_v1_BackupRequest__Output, _strata_v1_BackupChunk>;
  
}

export interface BackupServiceDefinition extends grpc.ServiceDefinition {
  Backup: MethodDefinition<_strata_v1_BackupRequest, _strata_v1_BackupChunk, _strata_v1_BackupRequest__Output, _strata_v1_BackupChunk__Output>
}
