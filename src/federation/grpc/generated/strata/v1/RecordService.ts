// Original file: proto/strata/v1/naming.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ImportZoneRequest as _strata_v1_ImportZoneRequest, ImportZoneRequest__Output as _strata_v1_ImportZoneRequest__Output } from '../../strata/v1/ImportZoneRequest';
import type { ListRecordsRequest as _strata_v1_ListRecordsRequest, ListRecordsRequest__Output as _strata_v1_ListRecordsRequest__Output } from '../../strata/v1/ListRecordsRequest';
import type { ListRecordsResponse as _strata_v1_ListRecordsResponse, ListRecordsResponse__Output as _strata_v1_ListRecordsResponse__Output } from '../../strata/v1/ListRecordsResponse';
import type { RecordChange as _strata_v1_RecordChange, RecordChange__Output as _strata_v1_RecordChange__Output } from '../../strata/v1/RecordChange';
import type { RecordRequest as _strata_v1_RecordRequest, RecordRequest__Output as _strata_v1_RecordRequest__Output } from '../../strata/v1/RecordRequest';

export interface RecordServiceClient extends grpc.Client {
  AddRecord(argument: _strata_v1_RecordRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  AddRecord(argument: _strata_v1_RecordRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  AddRecord(argument: _strata_v1_RecordRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  AddRecord(argument: _strata_v1_RecordRequest, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  addRecord(argument: _strata_v1_RecordRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  addRecord(argument: _strata_v1_RecordRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  addRecord(argument: _strata_v1_RecordRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  addRecord(argument: _strata_v1_RecordRequest, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  
  ImportZone(argument: _strata_v1_ImportZoneRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  ImportZone(argument: _strata_v1_ImportZoneRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  ImportZone(argument: _strata_v1_ImportZoneRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  ImportZone(argument: _strata_v1_ImportZoneRequest, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  importZone(argument: _strata_v1_ImportZoneRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  importZone(argument: _strata_v1_ImportZoneRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  importZone(argument: _strata_v1_ImportZoneRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  importZone(argument: _strata_v1_ImportZoneRequest, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  
  ListRecords(argument: _strata_v1_ListRecordsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ListRecordsResponse__Output>): grpc.ClientUnaryCall;
  ListRecords(argument: _strata_v1_ListRecordsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_ListRecordsResponse__Output>): grpc.ClientUnaryCall;
  ListRecords(argument: _strata_v1_ListRecordsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ListRecordsResponse__Output>): grpc.ClientUnaryCall;
  ListRecords(argument: _strata_v1_ListRecordsRequest, callback: grpc.requestCallback<_strata_v1_ListRecordsResponse__Output>): grpc.ClientUnaryCall;
  listRecords(argument: _strata_v1_ListRecordsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ListRecordsResponse__Output>): grpc.ClientUnaryCall;
  listRecords(argument: _strata_v1_ListRecordsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_ListRecordsResponse__Output>): grpc.ClientUnaryCall;
  listRecords(argument: _strata_v1_ListRecordsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ListRecordsResponse__Output>): grpc.ClientUnaryCall;
  listRecords(argument: _strata_v1_ListRecordsRequest, callback: grpc.requestCallback<_strata_v1_ListRecordsResponse__Output>): grpc.ClientUnaryCall;
  
  RemoveRecord(argument: _strata_v1_RecordRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  RemoveRecord(argument: _strata_v1_RecordRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  RemoveRecord(argument: _strata_v1_RecordRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  RemoveRecord(argument: _strata_v1_RecordRequest, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  removeRecord(argument: _strata_v1_RecordRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  removeRecord(argument: _strata_v1_RecordRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  removeRecord(argument: _strata_v1_RecordRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  removeRecord(argument: _strata_v1_RecordRequest, callback: grpc.requestCallback<_strata_v1_RecordChange__Output>): grpc.ClientUnaryCall;
  
}

export interface RecordServiceHandlers extends grpc.UntypedServiceImplementation {
  AddRecord: grpc.handleUnaryCall<_strata_v1_RecordRequest__Output, _strata_v1_RecordChange>;
  
  ImportZone: grpc.handleUnaryCall<_strata_v1_ImportZoneRequest__Output, _strata_v1_RecordChange>;
  
  ListRecords: grpc.handleUnaryCall<_strata_v1_ListRecordsRequest__Output, _strata_v1_ListRecordsResponse>;
  
  RemoveRecord: grpc.handleUnaryCall<_strata_v1_RecordRequest__Output, _strata_v1_RecordChange>;
  
}

export interface RecordServiceDefinition extends grpc.ServiceDefinition {
  AddRecord: MethodDefinition<_strata_v1_RecordRequest, _strata_v1_RecordChange, _strata_v1_RecordRequest__Output, _strata_v1_RecordChange__Output>
  ImportZone: MethodDefinition<_strata_v1_ImportZoneRequest, _strata_v1_RecordChange, _strata_v1_ImportZoneRequest__Output, _strata_v1_RecordChange__Output>
  ListRecords: MethodDefinition<_strata_v1_ListRecordsRequest, _strata_v1_ListRecordsResponse, _strata_v1_ListRecordsRequest__Output, _strata_v1_ListRecordsResponse__Output>
  RemoveRecord: MethodDefinition<_strata_v1_RecordRequest, _strata_v1_RecordChange, _strata_v1_RecordRequest__Output, _strata_v1_RecordChange__Output>
}
