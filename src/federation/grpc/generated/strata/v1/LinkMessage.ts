// Original file: proto/strata/v1/link.proto

import type { Hello as _strata_v1_Hello, Hello__Output as _strata_v1_Hello__Output } from '../../strata/v1/Hello';
import type { Heartbeat as _strata_v1_Heartbeat, Heartbeat__Output as _strata_v1_Heartbeat__Output } from '../../strata/v1/Heartbeat';
import type { ChangeBatch as _strata_v1_ChangeBatch, ChangeBatch__Output as _strata_v1_ChangeBatch__Output } from '../../strata/v1/ChangeBatch';
import type { Ack as _strata_v1_Ack, Ack__Output as _strata_v1_Ack__Output } from '../../strata/v1/Ack';
import type { SnapshotBegin as _strata_v1_SnapshotBegin, SnapshotBegin__Output as _strata_v1_SnapshotBegin__Output } from '../../strata/v1/SnapshotBegin';
import type { SnapshotChunk as _strata_v1_SnapshotChunk, SnapshotChunk__Output as _strata_v1_SnapshotChunk__Output } from '../../strata/v1/SnapshotChunk';
import type { SnapshotEnd as _strata_v1_SnapshotEnd, SnapshotEnd__Output as _strata_v1_SnapshotEnd__Output } from '../../strata/v1/SnapshotEnd';
import type { Resync as _strata_v1_Resync, Resync__Output as _strata_v1_Resync__Output } from '../../strata/v1/Resync';
import type { StatusReport as _strata_v1_StatusReport, StatusReport__Output as _strata_v1_StatusReport__Output } from '../../strata/v1/StatusReport';
import type { WriteRequest as _strata_v1_WriteRequest, WriteRequest__Output as _strata_v1_WriteRequest__Output } from '../../strata/v1/WriteRequest';
import type { WriteResult as _strata_v1_WriteResult, WriteResult__Output as _strata_v1_WriteResult__Output } from '../../strata/v1/WriteResult';

export interface LinkMessage {
  'hello'?: (_strata_v1_Hello | null);
  'heartbeat'?: (_strata_v1_Heartbeat | null);
  'changes'?: (_strata_v1_ChangeBatch | null);
  'ack'?: (_strata_v1_Ack | null);
  'snapshotBegin'?: (_strata_v1_SnapshotBegin | null);
  'snapshotChunk'?: (_strata_v1_SnapshotChunk | null);
  'snapshotEnd'?: (_strata_v1_SnapshotEnd | null);
  'resync'?: (_strata_v1_Resync | null);
  'status'?: (_strata_v1_StatusReport | null);
  'writeRequest'?: (_strata_v1_WriteRequest | null);
  'writeResult'?: (_strata_v1_WriteResult | null);
  'body'?: "hello"|"heartbeat"|"changes"|"ack"|"snapshotBegin"|"snapshotChunk"|"snapshotEnd"|"resync"|"status"|"writeRequest"|"writeResult";
}

export interface LinkMessage__Output {
  'hello'?: (_strata_v1_Hello__Output | null);
  'heartbeat'?: (_strata_v1_Heartbeat__Output | null);
  'changes'?: (_strata_v1_ChangeBatch__Output | null);
  'ack'?: (_strata_v1_Ack__Output | null);
  'snapshotBegin'?: (_strata_v1_SnapshotBegin__Output | null);
  'snapshotChunk'?: (_strata_v1_SnapshotChunk__Output | null);
  'snapshotEnd'?: (_strata_v1_SnapshotEnd__Output | null);
  'resync'?: (_strata_v1_Resync__Output | null);
  'status'?: (_strata_v1_StatusReport__Output | null);
  'writeRequest'?: (_strata_v1_WriteRequest__Output | null);
  'writeResult'?: (_strata_v1_WriteResult__Output | null);
  'body'?: "hello"|"heartbeat"|"changes"|"ack"|"snapshotBegin"|"snapshotChunk"|"snapshotEnd"|"resync"|"status"|"writeRequest"|"writeResult";
}
