import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { DeleteSettingRequest as _strata_v1_DeleteSettingRequest, DeleteSettingRequest__Output as _strata_v1_DeleteSettingRequest__Output } from './strata/v1/DeleteSettingRequest';
import type { GetSettingRequest as _strata_v1_GetSettingRequest, GetSettingRequest__Output as _strata_v1_GetSettingRequest__Output } from './strata/v1/GetSettingRequest';
import type { ListSettingsRequest as _strata_v1_ListSettingsRequest, ListSettingsRequest__Output as _strata_v1_ListSettingsRequest__Output } from './strata/v1/ListSettingsRequest';
import type { ListSettingsResponse as _strata_v1_ListSettingsResponse, ListSettingsResponse__Output as _strata_v1_ListSettingsResponse__Output } from './strata/v1/ListSettingsResponse';
import type { SetSettingRequest as _strata_v1_SetSettingRequest, SetSettingRequest__Output as _strata_v1_SetSettingRequest__Output } from './strata/v1/SetSettingRequest';
import type { SetSettingResponse as _strata_v1_SetSettingResponse, SetSettingResponse__Output as _strata_v1_SetSettingResponse__Output } from './strata/v1/SetSettingResponse';
import type { SetSettingsRequest as _strata_v1_SetSettingsRequest, SetSettingsRequest__Output as _strata_v1_SetSettingsRequest__Output } from './strata/v1/SetSettingsRequest';
import type { Setting as _strata_v1_Setting, Setting__Output as _strata_v1_Setting__Output } from './strata/v1/Setting';
import type { SettingsServiceClient as _strata_v1_SettingsServiceClient, SettingsServiceDefinition as _strata_v1_SettingsServiceDefinition } from './strata/v1/SettingsService';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  strata: {
    v1: {
      DeleteSettingRequest: MessageTypeDefinition<_strata_v1_DeleteSettingRequest, _strata_v1_DeleteSettingRequest__Output>
      GetSettingRequest: MessageTypeDefinition<_strata_v1_GetSettingRequest, _strata_v1_GetSettingRequest__Output>
      ListSettingsRequest: MessageTypeDefinition<_strata_v1_ListSettingsRequest, _strata_v1_ListSettingsRequest__Output>
      ListSettingsResponse: MessageTypeDefinition<_strata_v1_ListSettingsResponse, _strata_v1_ListSettingsResponse__Output>
      SetSettingRequest: MessageTypeDefinition<_strata_v1_SetSettingRequest, _strata_v1_SetSettingRequest__Output>
      SetSettingResponse: MessageTypeDefinition<_strata_v1_SetSettingResponse, _strata_v1_SetSettingResponse__Output>
      SetSettingsRequest: MessageTypeDefinition<_strata_v1_SetSettingsRequest, _strata_v1_SetSettingsRequest__Output>
      Setting: MessageTypeDefinition<_strata_v1_Setting, _strata_v1_Setting__Output>
      SettingsService: SubtypeConstructor<typeof grpc.Client, _strata_v1_SettingsServiceClient> & { service: _strata_v1_SettingsServiceDefinition }
    }
  }
}

