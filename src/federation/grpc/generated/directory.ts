import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Ack as _strata_v1_Ack, Ack__Output as _strata_v1_Ack__Output } from './strata/v1/Ack';
import type { BindTicket as _strata_v1_BindTicket, BindTicket__Output as _strata_v1_BindTicket__Output } from './strata/v1/BindTicket';
import type { Change as _strata_v1_Change, Change__Output as _strata_v1_Change__Output } from './strata/v1/Change';
import type { ChangeBatch as _strata_v1_ChangeBatch, ChangeBatch__Output as _strata_v1_ChangeBatch__Output } from './strata/v1/ChangeBatch';
import type { CheckPasswordRequest as _strata_v1_CheckPasswordRequest, CheckPasswordRequest__Output as _strata_v1_CheckPasswordRequest__Output } from './strata/v1/CheckPasswordRequest';
import type { CheckPasswordResponse as _strata_v1_CheckPasswordResponse, CheckPasswordResponse__Output as _strata_v1_CheckPasswordResponse__Output } from './strata/v1/CheckPasswordResponse';
import type { ClockReport as _strata_v1_ClockReport, ClockReport__Output as _strata_v1_ClockReport__Output } from './strata/v1/ClockReport';
import type { Cursor as _strata_v1_Cursor, Cursor__Output as _strata_v1_Cursor__Output } from './strata/v1/Cursor';
import type { DatasetLag as _strata_v1_DatasetLag, DatasetLag__Output as _strata_v1_DatasetLag__Output } from './strata/v1/DatasetLag';
import type { DeleteEntryRequest as _strata_v1_DeleteEntryRequest, DeleteEntryRequest__Output as _strata_v1_DeleteEntryRequest__Output } from './strata/v1/DeleteEntryRequest';
import type { DirectoryAttribute as _strata_v1_DirectoryAttribute, DirectoryAttribute__Output as _strata_v1_DirectoryAttribute__Output } from './strata/v1/DirectoryAttribute';
import type { DirectoryEntry as _strata_v1_DirectoryEntry, DirectoryEntry__Output as _strata_v1_DirectoryEntry__Output } from './strata/v1/DirectoryEntry';
import type { DirectoryPrincipal as _strata_v1_DirectoryPrincipal, DirectoryPrincipal__Output as _strata_v1_DirectoryPrincipal__Output } from './strata/v1/DirectoryPrincipal';
import type { DirectoryServiceClient as _strata_v1_DirectoryServiceClient, DirectoryServiceDefinition as _strata_v1_DirectoryServiceDefinition } from './strata/v1/DirectoryService';
import type { Entry as _strata_v1_Entry, Entry__Output as _strata_v1_Entry__Output } from './strata/v1/Entry';
import type { GetEntryRequest as _strata_v1_GetEntryRequest, GetEntryRequest__Output as _strata_v1_GetEntryRequest__Output } from './strata/v1/GetEntryRequest';
import type { GetEntryResponse as _strata_v1_GetEntryResponse, GetEntryResponse__Output as _strata_v1_GetEntryResponse__Output } from './strata/v1/GetEntryResponse';
import type { Heartbeat as _strata_v1_Heartbeat, Heartbeat__Output as _strata_v1_Heartbeat__Output } from './strata/v1/Heartbeat';
import type { Hello as _strata_v1_Hello, Hello__Output as _strata_v1_Hello__Output } from './strata/v1/Hello';
import type { LinkMessage as _strata_v1_LinkMessage, LinkMessage__Output as _strata_v1_LinkMessage__Output } from './strata/v1/LinkMessage';
import type { LinkServiceClient as _strata_v1_LinkServiceClient, LinkServiceDefinition as _strata_v1_LinkServiceDefinition } from './strata/v1/LinkService';
import type { ListEntriesRequest as _strata_v1_ListEntriesRequest, ListEntriesRequest__Output as _strata_v1_ListEntriesRequest__Output } from './strata/v1/ListEntriesRequest';
import type { ListEntriesResponse as _strata_v1_ListEntriesResponse, ListEntriesResponse__Output as _strata_v1_ListEntriesResponse__Output } from './strata/v1/ListEntriesResponse';
import type { Mutation as _strata_v1_Mutation, Mutation__Output as _strata_v1_Mutation__Output } from './strata/v1/Mutation';
import type { NodeReport as _strata_v1_NodeReport, NodeReport__Output as _strata_v1_NodeReport__Output } from './strata/v1/NodeReport';
import type { OperatorProof as _strata_v1_OperatorProof, OperatorProof__Output as _strata_v1_OperatorProof__Output } from './strata/v1/OperatorProof';
import type { Principal as _strata_v1_Principal, Principal__Output as _strata_v1_Principal__Output } from './strata/v1/Principal';
import type { PutEntriesRequest as _strata_v1_PutEntriesRequest, PutEntriesRequest__Output as _strata_v1_PutEntriesRequest__Output } from './strata/v1/PutEntriesRequest';
import type { PutEntriesResponse as _strata_v1_PutEntriesResponse, PutEntriesResponse__Output as _strata_v1_PutEntriesResponse__Output } from './strata/v1/PutEntriesResponse';
import type { Resync as _strata_v1_Resync, Resync__Output as _strata_v1_Resync__Output } from './strata/v1/Resync';
import type { SnapshotBegin as _strata_v1_SnapshotBegin, SnapshotBegin__Output as _strata_v1_SnapshotBegin__Output } from './strata/v1/SnapshotBegin';
import type { SnapshotChunk as _strata_v1_SnapshotChunk, SnapshotChunk__Output as _strata_v1_SnapshotChunk__Output } from './strata/v1/SnapshotChunk';
import type { SnapshotEnd as _strata_v1_SnapshotEnd, SnapshotEnd__Output as _strata_v1_SnapshotEnd__Output } from './strata/v1/SnapshotEnd';
import type { StatusReport as _strata_v1_StatusReport, StatusReport__Output as _strata_v1_StatusReport__Output } from './strata/v1/StatusReport';
import type { WriteRequest as _strata_v1_WriteRequest, WriteRequest__Output as _strata_v1_WriteRequest__Output } from './strata/v1/WriteRequest';
import type { WriteResult as _strata_v1_WriteResult, WriteResult__Output as _strata_v1_WriteResult__Output } from './strata/v1/WriteResult';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  strata: {
    v1: {
      Ack: MessageTypeDefinition<_strata_v1_Ack, _strata_v1_Ack__Output>
      BindTicket: MessageTypeDefinition<_strata_v1_BindTicket, _strata_v1_BindTicket__Output>
      Change: MessageTypeDefinition<_strata_v1_Change, _strata_v1_Change__Output>
      ChangeBatch: MessageTypeDefinition<_strata_v1_ChangeBatch, _strata_v1_ChangeBatch__Output>
      CheckPasswordRequest: MessageTypeDefinition<_strata_v1_CheckPasswordRequest, _strata_v1_CheckPasswordRequest__Output>
      CheckPasswordResponse: MessageTypeDefinition<_strata_v1_CheckPasswordResponse, _strata_v1_CheckPasswordResponse__Output>
      ClockReport: MessageTypeDefinition<_strata_v1_ClockReport, _strata_v1_ClockReport__Output>
      Cursor: MessageTypeDefinition<_strata_v1_Cursor, _strata_v1_Cursor__Output>
      DatasetLag: MessageTypeDefinition<_strata_v1_DatasetLag, _strata_v1_DatasetLag__Output>
      DeleteEntryRequest: MessageTypeDefinition<_strata_v1_DeleteEntryRequest, _strata_v1_DeleteEntryRequest__Output>
      DirectoryAttribute: MessageTypeDefinition<_strata_v1_DirectoryAttribute, _strata_v1_DirectoryAttribute__Output>
      DirectoryEntry: MessageTypeDefinition<_strata_v1_DirectoryEntry, _strata_v1_DirectoryEntry__Output>
      DirectoryPrincipal: MessageTypeDefinition<_strata_v1_DirectoryPrincipal, _strata_v1_DirectoryPrincipal__Output>
      DirectoryService: SubtypeConstructor<typeof grpc.Client, _strata_v1_DirectoryServiceClient> & { service: _strata_v1_DirectoryServiceDefinition }
      Entry: MessageTypeDefinition<_strata_v1_Entry, _strata_v1_Entry__Output>
      GetEntryRequest: MessageTypeDefinition<_strata_v1_GetEntryRequest, _strata_v1_GetEntryRequest__Output>
      GetEntryResponse: MessageTypeDefinition<_strata_v1_GetEntryResponse, _strata_v1_GetEntryResponse__Output>
      Heartbeat: MessageTypeDefinition<_strata_v1_Heartbeat, _strata_v1_Heartbeat__Output>
      Hello: MessageTypeDefinition<_strata_v1_Hello, _strata_v1_Hello__Output>
      LinkMessage: MessageTypeDefinition<_strata_v1_LinkMessage, _strata_v1_LinkMessage__Output>
      LinkService: SubtypeConstructor<typeof grpc.Client, _strata_v1_LinkServiceClient> & { service: _strata_v1_LinkServiceDefinition }
      ListEntriesRequest: MessageTypeDefinition<_strata_v1_ListEntriesRequest, _strata_v1_ListEntriesRequest__Output>
      ListEntriesResponse: MessageTypeDefinition<_strata_v1_ListEntriesResponse, _strata_v1_ListEntriesResponse__Output>
      Mutation: MessageTypeDefinition<_strata_v1_Mutation, _strata_v1_Mutation__Output>
      NodeReport: MessageTypeDefinition<_strata_v1_NodeReport, _strata_v1_NodeReport__Output>
      OperatorProof: MessageTypeDefinition<_strata_v1_OperatorProof, _strata_v1_OperatorProof__Output>
      Principal: MessageTypeDefinition<_strata_v1_Principal, _strata_v1_Principal__Output>
      PutEntriesRequest: MessageTypeDefinition<_strata_v1_PutEntriesRequest, _strata_v1_PutEntriesRequest__Output>
      PutEntriesResponse: MessageTypeDefinition<_strata_v1_PutEntriesResponse, _strata_v1_PutEntriesResponse__Output>
      Resync: MessageTypeDefinition<_strata_v1_Resync, _strata_v1_Resync__Output>
      SnapshotBegin: MessageTypeDefinition<_strata_v1_SnapshotBegin, _strata_v1_SnapshotBegin__Output>
      SnapshotChunk: MessageTypeDefinition<_strata_v1_SnapshotChunk, _strata_v1_SnapshotChunk__Output>
      SnapshotEnd: MessageTypeDefinition<_strata_v1_SnapshotEnd, _strata_v1_SnapshotEnd__Output>
      StatusReport: MessageTypeDefinition<_strata_v1_StatusReport, _strata_v1_StatusReport__Output>
      WriteRequest: MessageTypeDefinition<_strata_v1_WriteRequest, _strata_v1_WriteRequest__Output>
      WriteResult: MessageTypeDefinition<_strata_v1_WriteResult, _strata_v1_WriteResult__Output>
    }
  }
}

