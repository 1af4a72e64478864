// Original file: proto/strata/v1/directory.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CheckPasswordRequest as _strata_v1_CheckPasswordRequest, CheckPasswordRequest__Output as _strata_v1_CheckPasswordRequest__Output } from '../../strata/v1/CheckPasswordRequest';
import type { CheckPasswordResponse as _strata_v1_CheckPasswordResponse, CheckPasswordResponse__Output as _strata_v1_CheckPasswordResponse__Output } from '../../strata/v1/CheckPasswordResponse';
import type { DeleteEntryRequest as _strata_v1_DeleteEntryRequest, DeleteEntryRequest__Output as _strata_v1_DeleteEntryRequest__Output } from '../../strata/v1/DeleteEntryRequest';
import type { GetEntryRequest as _strata_v1_GetEntryRequest, GetEntryRequest__Output as _strata_v1_GetEntryRequest__Output } from '../../strata/v1/GetEntryRequest';
import type { GetEntryResponse as _strata_v1_GetEntryResponse, GetEntryResponse__Output as _strata_v1_GetEntryResponse__Output } from '../../strata/v1/GetEntryResponse';
import type { ListEntriesRequest as _strata_v1_ListEntriesRequest, ListEntriesRequest__Output as _strata_v1_ListEntriesRequest__Output } from '../../strata/v1/ListEntriesRequest';
import type { ListEntriesResponse as _strata_v1_ListEntriesResponse, ListEntriesResponse__Output as _strata_v1_ListEntriesResponse__Output } from '../../strata/v1/ListEntriesResponse';
import type { PutEntriesRequest as _strata_v1_PutEntriesRequest, PutEntriesRequest__Output as _strata_v1_PutEntriesRequest__Output } from '../../strata/v1/PutEntriesRequest';
import type { PutEntriesResponse as _strata_v1_PutEntriesResponse, PutEntriesResponse__Output as _strata_v1_PutEntriesResponse__Output } from '../../strata/v1/PutEntriesResponse';

export interface DirectoryServiceClient extends grpc.Client {
  CheckPassword(argument: _strata_v1_CheckPasswordRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_CheckPasswordResponse__Output>): grpc.ClientUnaryCall;
  CheckPassword(argument: _strata_v1_CheckPasswordRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_CheckPasswordResponse__Output>): grpc.ClientUnaryCall;
  CheckPassword(argument: _strata_v1_CheckPasswordRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_CheckPasswordResponse__Output>): grpc.ClientUnaryCall;
  CheckPassword(argument: _strata_v1_CheckPasswordRequest, callback: grpc.requestCallback<_strata_v1_CheckPasswordResponse__Output>): grpc.ClientUnaryCall;
  checkPassword(argument: _strata_v1_CheckPasswordRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_CheckPasswordResponse__Output>): grpc.ClientUnaryCall;
  checkPassword(argument: _strata_v1_CheckPasswordRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_CheckPasswordResponse__Output>): grpc.ClientUnaryCall;
  checkPassword(argument: _strata_v1_CheckPasswordRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_CheckPasswordResponse__Output>): grpc.ClientUnaryCall;
  checkPassword(argument: _strata_v1_CheckPasswordRequest, callback: grpc.requestCallback<_strata_v1_CheckPasswordResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteEntry(argument: _strata_v1_DeleteEntryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_PutEntriesResponse__Output>): grpc.ClientUnaryCall;
  DeleteEntry(argument: _strata_v1_DeleteEntryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_PutEntriesResponse__Output>): grpc.ClientUnaryCall;
  DeleteEntry(argument: _strata_v1_DeleteEntryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_PutEntriesResponse__Output>): grpc.ClientUnaryCall;
  DeleteEntry(argument: _strata_v1_DeleteEntryRequest, callback: grpc.requestCallback<_strata_v1_PutEntriesResponse__Output>): grpc.ClientUnaryCall;
  deleteEntry(argument: _strata_v1_DeleteEntryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_PutEntriesResponse__Output>): grpc.ClientUnaryCall;
  deleteEntry(argument: _strata_v1_DeleteEntryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_PutEntriesResponse__Output>): grpc.ClientUnaryCall;
  deleteEntry(argument: _strata_v1_DeleteEntryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_PutEntriesResponse__Output>): grpc.ClientUnaryCall;
  deleteEntry(argument: _strata_v1_DeleteEntryRequest, callback: grpc.requestCallback<_strata_v1_PutEntriesResponse__Output>): grpc.ClientUnaryCall;
  
  GetEntry(argument: _strata_v1_GetEntryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_GetEntryResponse__Output>): grpc.ClientUnaryCall;
  GetEntry(argument: _strata_v1_GetEntryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_GetEntryResponse__Output>): grpc.ClientUnaryCall;
  GetEntry(argument: _strata_v1_GetEntryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_GetEntryResponse__Output>): grpc.ClientUnaryCall;
  GetEntry(argument: _strata_v1_GetEntryRequest, callback: grpc.requestCallback<_strata_v1_GetEntryResponse__Output>): grpc.ClientUnaryCall;
  getEntry(argument: _strata_v1_GetEntryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_GetEntryResponse__Output>): grpc.ClientUnaryCall;
  getEntry(argument: _strata_v1_GetEntryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_GetEntryResponse__Output>): grpc.ClientUnaryCall;
  getEntry(argument: _strata_v1_GetEntryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_GetEntryResponse__Output>): grpc.ClientUnaryCall;
  getEntry(argument: _strata_v1_GetEntryRequest, callback: grpc.requestCallback<_strata_v1_GetEntryResponse__Output>): grpc.ClientUnaryCall;
  
  ListEntries(argument: _strata_v1_ListEntriesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ListEntriesResponse__Output>): grpc.ClientUnaryCall;
  ListEntries(argument: _strata_v1_ListEntriesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_ListEntriesResponse__Output>): grpc.ClientUnaryCall;
  ListEntries(argument: _strata_v1_ListEntriesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ListEntriesResponse__Output>): grpc.ClientUnaryCall;
  ListEntries(argument: _strata_v1_ListEntriesRequest, callback: grpc.requestCallback<_strata_v1_ListEntriesResponse__Output>): grpc.ClientUnaryCall;
  listEntries(argument: _strata_v1_ListEntriesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ListEntriesResponse__Output>): grpc.ClientUnaryCall;
  listEntries(argument: _strata_v1_ListEntriesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_ListEntriesResponse__Output>): grpc.ClientUnaryCall;
  listEntries(argument: _strata_v1_ListEntriesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ListEntriesResponse__Output>): grpc.ClientUnaryCall;
  listEntries(argument: _strata_v1_ListEntriesRequest, callback: grpc.requestCallback<_strata_v1_ListEntriesResponse__Output>): grpc.ClientUnaryCall;
  
  PutEntries(argument: _strata_v1_PutEntriesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_PutEntriesResponse__Output>): grpc.ClientUnaryCall;
  PutEntries(argument: _strata_v1_PutEntriesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_PutEntriesResponse__Output>): grpc.ClientUnaryCall;
  PutEntries(argument: _strata_v1_PutEntriesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_PutEntriesResponse__Output>): grpc.ClientUnaryCall;
  PutEntries(argument: _strata_v1_PutEntriesRequest, callback: grpc.requestCallback<_strata_v1_PutEntriesResponse__Output>): grpc.ClientUnaryCall;
  putEntries(argument: _strata_v1_PutEntriesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_PutEntriesResponse__Output>): grpc.ClientUnaryCall;
  putEntries(argument: _strata_v1_PutEntriesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_PutEntriesResponse__Output>): grpc.ClientUnaryCall;
  putEntries(argument: _strata_v1_PutEntriesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_PutEntriesResponse__Output>): grpc.ClientUnaryCall;
  putEntries(argument: _strata_v1_PutEntriesRequest, callback: grpc.requestCallback<_strata_v1_PutEntriesResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface DirectoryServiceHandlers extends grpc.UntypedServiceImplementation {
  CheckPassword: grpc.handleUnaryCall<_strata_v1_CheckPasswordRequest__Output, _strata_v1_CheckPasswordResponse>;
  
  DeleteEntry: grpc.handleUnaryCall<_strata_v1_DeleteEntryRequest__Output, _strata_v1_PutEntriesResponse>;
  
  GetEntry: grpc.handleUnaryCall<_strata_v1_GetEntryRequest__Output, _strata_v1_GetEntryResponse>;
  
  ListEntries: grpc.handleUnaryCall<_strata_v1_ListEntriesRequest__Output, _strata_v1_ListEntriesResponse>;
  
  PutEntries: grpc.handleUnaryCall<_strata_v1_PutEntriesRequest__Output, _strata_v1_PutEntriesResponse>;
  
}

export interface DirectoryServiceDefinition extends grpc.ServiceDefinition {
  CheckPassword: MethodDefinition<_strata_v1_CheckPasswordRequest, _strata_v1_CheckPasswordResponse, _strata_v1_CheckPasswordRequest__Output, _strata_v1_CheckPasswordResponse__Output>
  DeleteEntry: MethodDefinition<_strata_v1_DeleteEntryRequest, _strata_v1_PutEntriesResponse, _strata_v1_DeleteEntryRequest__Output, _strata_v1_PutEntriesResponse__Output>
  GetEntry: MethodDefinition<_strata_v1_GetEntryRequest, _strata_v1_GetEntryResponse, _strata_v1_GetEntryRequest__Output, _strata_v1_GetEntryResponse__Output>
  ListEntries: MethodDefinition<_strata_v1_ListEntriesRequest, _strata_v1_ListEntriesResponse, _strata_v1_ListEntriesRequest__Output, _strata_v1_ListEntriesResponse__Output>
  PutEntries: MethodDefinition<_strata_v1_PutEntriesRequest, _strata_v1_PutEntriesResponse, _strata_v1_PutEntriesRequest__Output, _strata_v1_PutEntriesResponse__Output>
}
