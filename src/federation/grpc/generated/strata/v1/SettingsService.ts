// Original file: proto/strata/v1/settings.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DeleteSettingRequest as _strata_v1_DeleteSettingRequest, DeleteSettingRequest__Output as _strata_v1_DeleteSettingRequest__Output } from '../../strata/v1/DeleteSettingRequest';
import type { GetSettingRequest as _strata_v1_GetSettingRequest, GetSettingRequest__Output as _strata_v1_GetSettingRequest__Output } from '../../strata/v1/GetSettingRequest';
import type { ListSettingsRequest as _strata_v1_ListSettingsRequest, ListSettingsRequest__Output as _strata_v1_ListSettingsRequest__Output } from '../../strata/v1/ListSettingsRequest';
import type { ListSettingsResponse as _strata_v1_ListSettingsResponse, ListSettingsResponse__Output as _strata_v1_ListSettingsResponse__Output } from '../../strata/v1/ListSettingsResponse';
import type { SetSettingRequest as _strata_v1_SetSettingRequest, SetSettingRequest__Output as _strata_v1_SetSettingRequest__Output } from '../../strata/v1/SetSettingRequest';
import type { SetSettingResponse as _strata_v1_SetSettingResponse, SetSettingResponse__Output as _strata_v1_SetSettingResponse__Output } from '../../strata/v1/SetSettingResponse';
import type { SetSettingsRequest as _strata_v1_SetSettingsRequest, SetSettingsRequest__Output as _strata_v1_SetSettingsRequest__Output } from '../../strata/v1/SetSettingsRequest';
import type { Setting as _strata_v1_Setting, Setting__Output as _strata_v1_Setting__Output } from '../../strata/v1/Setting';

export interface SettingsServiceClient extends grpc.Client {
  DeleteSetting(argument: _strata_v1_DeleteSettingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  DeleteSetting(argument: _strata_v1_DeleteSettingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  DeleteSetting(argument: _strata_v1_DeleteSettingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  DeleteSetting(argument: _strata_v1_DeleteSettingRequest, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  deleteSetting(argument: _strata_v1_DeleteSettingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  deleteSetting(argument: _strata_v1_DeleteSettingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  deleteSetting(argument: _strata_v1_DeleteSettingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  deleteSetting(argument: _strata_v1_DeleteSettingRequest, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  
  GetSetting(argument: _strata_v1_GetSettingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_Setting__Output>): grpc.ClientUnaryCall;
  GetSetting(argument: _strata_v1_GetSettingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_Setting__Output>): grpc.ClientUnaryCall;
  GetSetting(argument: _strata_v1_GetSettingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_Setting__Output>): grpc.ClientUnaryCall;
  GetSetting(argument: _strata_v1_GetSettingRequest, callback: grpc.requestCallback<_strata_v1_Setting__Output>): grpc.ClientUnaryCall;
  getSetting(argument: _strata_v1_GetSettingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_Setting__Output>): grpc.ClientUnaryCall;
  getSetting(argument: _strata_v1_GetSettingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_Setting__Output>): grpc.ClientUnaryCall;
  getSetting(argument: _strata_v1_GetSettingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_Setting__Output>): grpc.ClientUnaryCall;
  getSetting(argument: _strata_v1_GetSettingRequest, callback: grpc.requestCallback<_strata_v1_Setting__Output>): grpc.ClientUnaryCall;
  
  ListSettings(argument: _strata_v1_ListSettingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ListSettingsResponse__Output>): grpc.ClientUnaryCall;
  ListSettings(argument: _strata_v1_ListSettingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_ListSettingsResponse__Output>): grpc.ClientUnaryCall;
  ListSettings(argument: _strata_v1_ListSettingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ListSettingsResponse__Output>): grpc.ClientUnaryCall;
  ListSettings(argument: _strata_v1_ListSettingsRequest, callback: grpc.requestCallback<_strata_v1_ListSettingsResponse__Output>): grpc.ClientUnaryCall;
  listSettings(argument: _strata_v1_ListSettingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ListSettingsResponse__Output>): grpc.ClientUnaryCall;
  listSettings(argument: _strata_v1_ListSettingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_ListSettingsResponse__Output>): grpc.ClientUnaryCall;
  listSettings(argument: _strata_v1_ListSettingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ListSettingsResponse__Output>): grpc.ClientUnaryCall;
  listSettings(argument: _strata_v1_ListSettingsRequest, callback: grpc.requestCallback<_strata_v1_ListSettingsResponse__Output>): grpc.ClientUnaryCall;
  
  SetSetting(argument: _strata_v1_SetSettingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  SetSetting(argument: _strata_v1_SetSettingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  SetSetting(argument: _strata_v1_SetSettingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  SetSetting(argument: _strata_v1_SetSettingRequest, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  setSetting(argument: _strata_v1_SetSettingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  setSetting(argument: _strata_v1_SetSettingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  setSetting(argument: _strata_v1_SetSettingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  setSetting(argument: _strata_v1_SetSettingRequest, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  
  SetSettings(argument: _strata_v1_SetSettingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  SetSettings(argument: _strata_v1_SetSettingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  SetSettings(argument: _strata_v1_SetSettingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  SetSettings(argument: _strata_v1_SetSettingsRequest, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  setSettings(argument: _strata_v1_SetSettingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  setSettings(argument: _strata_v1_SetSettingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  setSettings(argument: _strata_v1_SetSettingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  setSettings(argument: _strata_v1_SetSettingsRequest, callback: grpc.requestCallback<_strata_v1_SetSettingResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface SettingsServiceHandlers extends grpc.UntypedServiceImplementation {
  DeleteSetting: grpc.handleUnaryCall<_strata_v1_DeleteSettingRequest__Output, _strata_v1_SetSettingResponse>;
  
  GetSetting: grpc.handleUnaryCall<_strata_v1_GetSettingRequest__Output, _strata_v1_Setting>;
  
  ListSettings: grpc.handleUnaryCall<_strata_v1_ListSettingsRequest__Output, _strata_v1_ListSettingsResponse>;
  
  SetSetting: grpc.handleUnaryCall<_strata_v1_SetSettingRequest__Output, _strata_v1_SetSettingResponse>;
  
  SetSettings: grpc.handleUnaryCall<_strata_v1_SetSettingsRequest__Output, _strata_v1_SetSettingResponse>;
  
}

export interface SettingsServiceDefinition extends grpc.ServiceDefinition {
  DeleteSetting: MethodDefinition<_strata_v1_DeleteSettingRequest, _strata_v1_SetSettingResponse, _strata_v1_DeleteSettingRequest__Output, _strata_v1_SetSettingResponse__Output>
  GetSetting: MethodDefinition<_strata_v1_GetSettingRequest, _strata_v1_Setting, _strata_v1_GetSettingRequest__Output, _strata_v1_Setting__Output>
  ListSettings: MethodDefinition<_strata_v1_ListSettingsRequest, _strata_v1_ListSettingsResponse, _strata_v1_ListSettingsRequest__Output, _strata_v1_ListSettingsResponse__Output>
  SetSetting: MethodDefinition<_strata_v1_SetSettingRequest, _strata_v1_SetSettingResponse, _strata_v1_SetSettingRequest__Output, _strata_v1_SetSettingResponse__Output>
  SetSettings: MethodDefinition<_strata_v1_SetSettingsRequest, _strata_v1_SetSettingResponse, _strata_v1_SetSettingsRequest__Output, _strata_v1_SetSettingResponse__Output>
}
