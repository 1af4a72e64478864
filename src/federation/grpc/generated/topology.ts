import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Ack as _strata_v1_Ack, Ack__Output as _strata_v1_Ack__Output } from './strata/v1/Ack';
import type { BindTicket as _strata_v1_BindTicket, BindTicket__Output as _strata_v1_BindTicket__Output } from './strata/v1/BindTicket';
import type { Change as _strata_v1_Change, Change__Output as _strata_v1_Change__Output } from './strata/v1/Change';
import type { ChangeBatch as _strata_v1_ChangeBatch, ChangeBatch__Output as _strata_v1_ChangeBatch__Output } from './strata/v1/ChangeBatch';
import type { ClockReport as _strata_v1_ClockReport, ClockReport__Output as _strata_v1_ClockReport__Output } from './strata/v1/ClockReport';
import type { Cursor as _strata_v1_Cursor, Cursor__Output as _strata_v1_Cursor__Output } from './strata/v1/Cursor';
import type { DatasetLag as _strata_v1_DatasetLag, DatasetLag__Output as _strata_v1_DatasetLag__Output } from './strata/v1/DatasetLag';
import type { DirectoryPrincipal as _strata_v1_DirectoryPrincipal, DirectoryPrincipal__Output as _strata_v1_DirectoryPrincipal__Output } from './strata/v1/DirectoryPrincipal';
import type { Entry as _strata_v1_Entry, Entry__Output as _strata_v1_Entry__Output } from './strata/v1/Entry';
import type { GetTopologyRequest as _strata_v1_GetTopologyRequest, GetTopologyRequest__Output as _strata_v1_GetTopologyRequest__Output } from './strata/v1/GetTopologyRequest';
import type { GetTopologyResponse as _strata_v1_GetTopologyResponse, GetTopologyResponse__Output as _strata_v1_GetTopologyResponse__Output } from './strata/v1/GetTopologyResponse';
import type { Heartbeat as _strata_v1_Heartbeat, Heartbeat__Output as _strata_v1_Heartbeat__Output } from './strata/v1/Heartbeat';
import type { Hello as _strata_v1_Hello, Hello__Output as _strata_v1_Hello__Output } from './strata/v1/Hello';
import type { LinkMessage as _strata_v1_LinkMessage, LinkMessage__Output as _strata_v1_LinkMessage__Output } from './strata/v1/LinkMessage';
import type { LinkServiceClient as _strata_v1_LinkServiceClient, LinkServiceDefinition as _strata_v1_LinkServiceDefinition } from './strata/v1/LinkService';
import type { Mutation as _strata_v1_Mutation, Mutation__Output as _strata_v1_Mutation__Output } from './strata/v1/Mutation';
import type { NodeReport as _strata_v1_NodeReport, NodeReport__Output as _strata_v1_NodeReport__Output } from './strata/v1/NodeReport';
import type { OperatorProof as _strata_v1_OperatorProof, OperatorProof__Output as _strata_v1_OperatorProof__Output } from './strata/v1/OperatorProof';
import type { Principal as _strata_v1_Principal, Principal__Output as _strata_v1_Principal__Output } from './strata/v1/Principal';
import type { Resync as _strata_v1_Resync, Resync__Output as _strata_v1_Resync__Output } from './strata/v1/Resync';
import type { SnapshotBegin as _strata_v1_SnapshotBegin, SnapshotBegin__Output as _strata_v1_SnapshotBegin__Output } from './strata/v1/SnapshotBegin';
import type { SnapshotChunk as _strata_v1_SnapshotChunk, SnapshotChunk__Output as _strata_v1_SnapshotChunk__Output } from './strata/v1/SnapshotChunk';
import type { SnapshotEnd as _strata_v1_SnapshotEnd, SnapshotEnd__Output as _strata_v1_SnapshotEnd__Output } from './strata/v1/SnapshotEnd';
import type { StatusReport as _strata_v1_StatusReport, StatusReport__Output as _strata_v1_StatusReport__Output } from './strata/v1/StatusReport';
import type { TopologyServiceClient as _strata_v1_TopologyServiceClient, TopologyServiceDefinition as _strata_v1_TopologyServiceDefinition } from './strata/v1/TopologyService';
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
      ClockReport: MessageTypeDefinition<_strata_v1_ClockReport, _strata_v1_ClockReport__Output>
      Cursor: MessageTypeDefinition<_strata_v1_Cursor, _strata_v1_Cursor__Output>
      DatasetLag: MessageTypeDefinition<_strata_v1_DatasetLag, _strata_v1_DatasetLag__Output>
      DirectoryPrincipal: MessageTypeDefinition<_strata_v1_DirectoryPrincipal, _strata_v1_DirectoryPrincipal__Output>
      Entry: MessageTypeDefinition<_strata_v1_Entry, _strata_v1_Entry__Output>
      GetTopologyRequest: MessageTypeDefinition<_strata_v1_GetTopologyRequest, _strata_v1_GetTopologyRequest__Output>
      GetTopologyResponse: MessageTypeDefinition<_strata_v1_GetTopologyResponse, _strata_v1_GetTopologyResponse__Output>
      Heartbeat: MessageTypeDefinition<_strata_v1_Heartbeat, _strata_v1_Heartbeat__Output>
      Hello: MessageTypeDefinition<_strata_v1_Hello, _strata_v1_Hello__Output>
      LinkMessage: MessageTypeDefinition<_strata_v1_LinkMessage, _strata_v1_LinkMessage__Output>
      LinkService: SubtypeConstructor<typeof grpc.Client, _strata_v1_LinkServiceClient> & { service: _strata_v1_LinkServiceDefinition }
      Mutation: MessageTypeDefinition<_strata_v1_Mutation, _strata_v1_Mutation__Output>
      NodeReport: MessageTypeDefinition<_strata_v1_NodeReport, _strata_v1_NodeReport__Output>
      OperatorProof: MessageTypeDefinition<_strata_v1_OperatorProof, _strata_v1_OperatorProof__Output>
      Principal: MessageTypeDefinition<_strata_v1_Principal, _strata_v1_Principal__Output>
      Resync: MessageTypeDefinition<_strata_v1_Resync, _strata_v1_Resync__Output>
      SnapshotBegin: MessageTypeDefinition<_strata_v1_SnapshotBegin, _strata_v1_SnapshotBegin__Output>
      SnapshotChunk: MessageTypeDefinition<_strata_v1_SnapshotChunk, _strata_v1_SnapshotChunk__Output>
      SnapshotEnd: MessageTypeDefinition<_strata_v1_SnapshotEnd, _strata_v1_SnapshotEnd__Output>
      StatusReport: MessageTypeDefinition<_strata_v1_StatusReport, _strata_v1_StatusReport__Output>
      TopologyService: SubtypeConstructor<typeof grpc.Client, _strata_v1_TopologyServiceClient> & { service: _strata_v1_TopologyServiceDefinition }
      WriteRequest: MessageTypeDefinition<_strata_v1_WriteRequest, _strata_v1_WriteRequest__Output>
      WriteResult: MessageTypeDefinition<_strata_v1_WriteResult, _strata_v1_WriteResult__Output>
    }
  }
}

