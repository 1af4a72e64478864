// The on-disk layout, in one place. A dataset's content lives in a numbered
// *generation*: its records under [gen, key] and its log under [gen, seq].
// Swapping in a snapshot is pointing the dataset's meta at a new generation;
// the old one becomes garbage and is swept in the background. This file holds
// key shapes and record types only; it does not read or write.

import type { LmdbEnv, Table } from './engine/lmdb-env';
import type { ChangeOp, DatasetInfo, Indexer } from './types';

/** meta table: dataset name → DatasetMeta. */
export interface DatasetMeta extends DatasetInfo {
  /** Generation holding this dataset's records and log. */
  gen: number;
}

/** log table: [gen, seq] → LogEntry (dataset and epoch come from the meta). */
export interface LogEntry {
  op: ChangeOp;
  key: string;
  value?: unknown;
  timeMs: number;
}

/** internal table: generations not (or no longer) reachable from any meta. */
export interface StagingMarker {
  dataset: string;
  /** Records written into the staging generation so far. */
  entries: number;
}
export interface GarbageMarker {
  dataset: string;
}

export type RecordKey = [number, string];
export type LogKey = [number, number];
export type InternalKey = string | [string, number];
/** index table: [gen, term, record key] (or a digest of a long key, the key then the value); see indexes.ts. */
export type IndexKey = [number, string, string] | [number, string] | [number];

export const NEXT_GEN_KEY = 'nextGen';
export const STAGING = 'staging';
export const GARBAGE = 'garbage';

export function recordKey(gen: number, key: string): RecordKey {
  return [gen, key];
}

export function logKey(gen: number, seq: number): LogKey {
  return [gen, seq];
}

/** [gen] sorts before every [gen, x] and [gen + 1] after them. */
export function genRange(gen: number): { start: [number]; end: [number] } {
  return { start: [gen], end: [gen + 1] };
}

export function markerKey(kind: typeof STAGING | typeof GARBAGE, gen: number): [string, number] {
  return [kind, gen];
}

export interface Tables {
  meta: Table<string, DatasetMeta>;
  records: Table<RecordKey | [number], unknown>;
  log: Table<LogKey | [number], LogEntry>;
  state: Table<string, unknown>;
  internal: Table<InternalKey, unknown>;
  index: Table<IndexKey, string | 1>;
  /** What the index rows are derived with (StoreOptions.indexer); none: no rows. */
  indexer: Indexer | undefined;
}

export function tablesOf(env: LmdbEnv, indexer: Indexer | undefined): Tables {
  return {
    meta: env.table('meta'),
    records: env.table('records'),
    log: env.table('log'),
    state: env.table('state'),
    internal: env.table('internal'),
    index: env.table('index'),
    indexer,
  };
}

export function toInfo(meta: DatasetMeta): DatasetInfo {
  const { name, owner, role, epoch, seq, firstSeq, entries, updatedMs } = meta;
  return { name, owner, role, epoch, seq, firstSeq, entries, updatedMs, ...(meta.shared ? { shared: true as const } : {}) };
}

/** Next unused generation number; call inside a write transaction. */
export function allocateGen(tables: Tables): number {
  const gen = (tables.internal.get(NEXT_GEN_KEY) as number | undefined) ?? 1;
  tables.internal.put(NEXT_GEN_KEY, gen + 1);
  return gen;
}
