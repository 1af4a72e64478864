// Public vocabulary of the store (DESIGN §2): dataset, change, cursor,
// snapshot, compaction policy. Types only; no behaviour and no storage layout.

import type { Clock } from '../kernel/clock';
import type { Logger } from '../kernel/log';

export type ChangeOp = 'put' | 'delete';

/** One owner-assigned change. `timeMs` is the owner's clock when it was written. */
export interface Change {
  dataset: string;
  epoch: string;
  seq: number;
  op: ChangeOp;
  key: string;
  value?: unknown;
  timeMs: number;
}

/**
 * A condition the owner checks, inside the write's transaction, before it
 * applies a batch: the key is absent, present, or holds exactly `value`
 * (optimistic concurrency for read-modify-write through a replica).
 */
export type Expectation = { exists: false } | { exists: true; value?: unknown };

/** What a writer asks for; the owner turns it into a Change. value is JSON-like (msgpack-able). */
export interface Mutation {
  op: ChangeOp;
  key: string;
  value?: unknown;
  /** Refuse the whole batch unless this holds at the owner. */
  expect?: Expectation;
}

export type DatasetRole = 'owner' | 'replica';

export interface DatasetInfo {
  name: string;
  owner: string;
  role: DatasetRole;
  epoch: string;
  /** Seq of the last change applied (0 before the first). */
  seq: number;
  /** lowest seq still in the log; firstSeq = seq+1 when the log is empty */
  firstSeq: number;
  /** Number of records (keys) the dataset holds now. */
  entries: number;
  /** Local clock when the dataset last changed. */
  updatedMs: number;
  /** Owned, but sequenced outside this store (StoreOptions.sequencer): this node holds a mirror that only the sequencer's log advances. */
  shared?: true;
}

export interface Cursor {
  dataset: string;
  epoch: string;
  seq: number;
}

/** Keep a change if it is among the last keepChanges OR younger than keepMs. */
export interface CompactionPolicy {
  keepChanges: number;
  keepMs: number;
}

export type SinceResult =
  | { kind: 'changes'; changes: Change[] }
  | { kind: 'snapshot-needed'; reason: 'compacted' | 'epoch' | 'unknown-dataset' };

export interface Entry {
  key: string;
  value: unknown;
}

export interface EntriesOptions {
  prefix?: string;
  limit?: number;
}

export interface SinceOptions {
  /** The epoch the caller's cursor belongs to; a different one here means "resync". */
  epoch?: string;
  /** Maximum changes returned (default 1000). */
  limit?: number;
}

export interface ApplyResult {
  applied: number;
  skipped: number;
}

/**
 * A consistent read of a whole dataset as of info.seq. `batches` can be
 * iterated once, lazily (awaiting between batches is fine); the underlying
 * read snapshot is released when iteration ends or on close().
 */
export interface SnapshotReader {
  info: DatasetInfo;
  batches: Iterable<Entry[]>;
  close(): void;
}

/**
 * Secondary index terms of records (indexes.ts): derived, kept in the same
 * transaction as each record, never replicated.
 */
export interface Indexer {
  /** Does it index this dataset's records? */
  covers(dataset: string): boolean;
  /** The record's terms (opaque strings, e.g. 'uid=alice'); [] for none. */
  terms(key: string, value: unknown): readonly string[];
  /** Changes whenever terms() would answer differently: a store opened with another version rebuilds its rows. */
  version: string;
}

/** Records whose terms equal `term`, or start with `prefix`. Long terms are cut: treat the answer as candidates. */
export type IndexQuery = { term: string } | { prefix: string };

export interface StoreOptions {
  dir: string;
  nodeName: string;
  clock: Clock;
  logger?: Logger;
  compaction?: CompactionPolicy;
  /** Hears how long each owner write took (ms): its commit, then the wait until it was on disk. */
  timedWrite?: (commitMs: number, durableMs: number) => void;
  /** Secondary indexes to keep (one indexer per store). */
  indexer?: Indexer;
  /** Owned datasets are sequenced elsewhere (the HA core's etcd): writes and creations go to it. */
  sequencer?: Sequencer;
  /** 'memory': tables in memory, not durable (the scale simulation: thousands of stores in one process); default lmdb. */
  engine?: 'lmdb' | 'memory';
  /**
   * Another process's store, read only (a DNS worker answering held zones):
   * nothing is written, not even at open; changes made by the owning process
   * are seen from the next event turn, and `changed()` tells the store (and
   * its listeners) which datasets to read again.
   */
  readOnly?: boolean;
}

/**
 * Where a shared owner's writes are ordered (DESIGN "The core, highly
 * available"): one transaction at the sequencer per write; the store holds a
 * mirror of each shared dataset, advanced with applyShared/installShared.
 * write() resolves once the changes are applied here too (read-your-writes).
 */
export interface Sequencer {
  write(name: string, mutations: Mutation[]): Promise<Change[]>;
  /** Creates the dataset at the sequencer if it does not exist there; resolves with it as held here. */
  create(name: string, owner: string): Promise<DatasetInfo>;
}

/** A shared dataset as the sequencer has it, for installShared. */
export interface SharedHead {
  name: string;
  owner: string;
  epoch: string;
  seq: number;
}

export const DEFAULT_COMPACTION: Readonly<CompactionPolicy> = Object.freeze({
  keepChanges: 100_000,
  keepMs: 24 * 60 * 60 * 1000,
});
