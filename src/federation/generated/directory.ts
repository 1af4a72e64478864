import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CheckPasswordRequest as _strata_v1_CheckPasswordRequest, CheckPasswordRequest__Output as _strata_v1_CheckPasswordRequest__Output } from './strata/v1/CheckPasswordRequest';
import type { CheckPasswordResponse as _strata_v1_CheckPasswordResponse, CheckPasswordResponse__Output as _strata_v1_CheckPasswordResponse__Output } from './strata/v1/CheckPasswordResponse';
import type { DeleteEntryRequest as _strata_v1_DeleteEntryRequest, DeleteEntryRequest__Output as _strata_v1_DeleteEntryRequest__Output } from './strata/v1/DeleteEntryRequest';
import type { DirectoryAttribute as _strata_v1_DirectoryAttribute, DirectoryAttribute__Output as _strata_v1_DirectoryAttribute__Output } from './strata/v1/DirectoryAttribute';
import type { DirectoryEntry as _strata_v1_DirectoryEntry, DirectoryEntry__Output as _strata_v1_DirectoryEntry__Output } from './strata/v1/DirectoryEntry';
import type { DirectoryServiceClient as _strata_v1_DirectoryServiceClient, DirectoryServiceDefinition as _strata_v1_DirectoryServiceDefinition } from './strata/v1/DirectoryService';
import type { GetEntryRequest as _strata_v1_GetEntryRequest, GetEntryRequest__Output as _strata_v1_GetEntryRequest__Output } from './strata/v1/GetEntryRequest';
import type { GetEntryResponse as _strata_v1_GetEntryResponse, GetEntryResponse__Output as _strata_v1_GetEntryResponse__Output } from './strata/v1/GetEntryResponse';
import type { ListEntriesRequest as _strata_v1_ListEntriesRequest, ListEntriesRequest__Output as _strata_v1_ListEntriesRequest__Output } from './strata/v1/ListEntriesRequest';
import type { ListEntriesResponse as _strata_v1_ListEntriesResponse, ListEntriesResponse__Output as _strata_v1_ListEntriesResponse__Output } from './strata/v1/ListEntriesResponse';
import type { PutEntriesRequest as _strata_v1_PutEntriesRequest, PutEntriesRequest__Output as _strata_v1_PutEntriesRequest__Output } from './strata/v1/PutEntriesRequest';
import type { PutEntriesResponse as _strata_v1_PutEntriesResponse, PutEntriesResponse__Output as _strata_v1_PutEntriesResponse__Output } from './strata/v1/PutEntriesResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  strata: {
    v1: {
      CheckPasswordRequest: MessageTypeDefinition<_strata_v1_CheckPasswordRequest, _strata_v1_CheckPasswordRequest__Output>
      CheckPasswordResponse: MessageTypeDefinition<_strata_v1_CheckPasswordResponse, _strata_v1_CheckPasswordResponse__Output>
      DeleteEntryRequest: MessageTypeDefinition<_strata_v1_DeleteEntryRequest, _strata_v1_DeleteEntryRequest__Output>
      DirectoryAttribute: MessageTypeDefinition<_strata_v1_DirectoryAttribute, _strata_v1_DirectoryAttribute__Output>
      DirectoryEntry: MessageTypeDefinition<_strata_v1_DirectoryEntry, _strata_v1_DirectoryEntry__Output>
      DirectoryService: SubtypeConstructor<typeof grpc.Client, _strata_v1_DirectoryServiceClient> & { service: _strata_v1_DirectoryServiceDefinition }
      GetEntryRequest: MessageTypeDefinition<_strata_v1_GetEntryRequest, _strata_v1_GetEntryRequest__Output>
      GetEntryResponse: MessageTypeDefinition<_strata_v1_GetEntryResponse, _strata_v1_GetEntryResponse__Output>
      ListEntriesRequest: MessageTypeDefinition<_strata_v1_ListEntriesRequest, _strata_v1_ListEntriesRequest__Output>
      ListEntriesResponse: MessageTypeDefinition<_strata_v1_ListEntriesResponse, _strata_v1_ListEntriesResponse__Output>
      PutEntriesRequest: MessageTypeDefinition<_strata_v1_PutEntriesRequest, _strata_v1_PutEntriesRequest__Output>
      PutEntriesResponse: MessageTypeDefinition<_strata_v1_PutEntriesResponse, _strata_v1_PutEntriesResponse__Output>
    }
  }
}

