// The change log (DESIGN §2): the owner appends changes with consecutive seqs;
// a replica applies an owner's changes in order, exactly once, and keeps them
// in its own log with the owner's seqs so it can re-serve them. Every function
// here runs inside one write transaction (or one read snapshot) handed in by
// the Store; none of them opens transactions, waits for disk, or compacts.

import { AbortedError, AlreadyExistsError, FailedPreconditionError, NotFoundError, type StrataError } from '../kernel/errors';
import { reindexRecord } from './indexes';
import type { ReadSnapshot } from './engine/lmdb-env';
import { genRange, logKey, recordKey, type DatasetMeta, type LogEntry, type Tables } from './layout';
import type { ApplyResult, Change, Expectation, Mutation, SinceResult } from './types';
import type { BoundedMap } from '../kernel/bounded-map';

/** Owner write: assigns seqs meta.seq+1…, applies and logs each change, saves meta. */
export function appendOwned(tables: Tables, name: string, mutations: readonly Mutation[], nowMs: number): Change[] {
  const meta = tables.meta.get(name);
  if (!meta) throw new NotFoundError(`dataset ${name} does not exist; create it before writing`);
  if (meta.role !== 'owner') {
    throw new FailedPreconditionError(
      `dataset ${name} is a replica owned by ${meta.owner}; send the write to ${meta.owner}`,
    );
  }
  if (meta.shared) {
    throw new FailedPreconditionError(`dataset ${name} is shared by the core's members and written through etcd; this store has no sequencer (is core.etcd set in the node's config?)`);
  }
  for (const m of mutations) if (m.expect) checkExpectation(tables.records.get(recordKey(meta.gen, m.key)), name, m.key, m.expect);
  const changes = mutations.map((m, i): Change => {
    const change: Change = { dataset: name, epoch: meta.epoch, seq: meta.seq + 1 + i, op: m.op, key: m.key, timeMs: nowMs };
    if (m.op === 'put') change.value = m.value;
    return change;
  });
  for (const change of changes) applyChange(tables, meta, change);
  if (changes.length > 0) saveMeta(tables, meta, nowMs);
  return changes;
}

/**
 * Replica apply. Duplicates (seq <= cursor) are skipped; the first change that
 * is out of order, of another epoch, or for a dataset not held here stops the
 * batch: everything before it is applied, and the error is returned (not
 * thrown) so the caller can commit that prefix and then report it.
 */
export function applyReplicated(
  tables: Tables,
  changes: readonly Change[],
  nowMs: number,
  shared = false,
): ApplyResult & { error?: StrataError } {
  const touched = new Map<string, DatasetMeta>();
  const dirty = new Set<DatasetMeta>();
  let applied = 0;
  let skipped = 0;
  let error: StrataError | undefined;
  for (const change of changes) {
    const meta = touched.get(change.dataset) ?? tables.meta.get(change.dataset);
    error = meta ? refuseApply(meta, change, shared) : notHeld(change.dataset);
    if (error || !meta) break;
    touched.set(change.dataset, meta);
    if (change.seq <= meta.seq) {
      skipped++;
      continue;
    }
    applyChange(tables, meta, change);
    dirty.add(meta);
    applied++;
  }
  for (const meta of dirty) saveMeta(tables, meta, nowMs);
  return { applied, skipped, error };
}

/**
 * The last answer readSince gave per dataset. A relay with a hundred children
 * is asked for the same changes once per child link right after each change;
 * they are read and decoded once. The answer is frozen: callers share it.
 * At most SINCE_CACHE_DATASETS datasets are kept (the most recently read).
 */
export const SINCE_CACHE_DATASETS = 256;
export type SinceCache = BoundedMap<string, { key: string; result: SinceResult }>;

/** Changes after afterSeq, or why the caller must load a snapshot instead. */
export function readSince(
  tables: Tables,
  snapshot: ReadSnapshot,
  name: string,
  afterSeq: number,
  opts: { epoch?: string; limit: number },
  cache?: SinceCache,
): SinceResult {
  const meta = tables.meta.get(name, snapshot);
  if (!meta) return { kind: 'snapshot-needed', reason: 'unknown-dataset' };
  if (opts.epoch !== undefined && opts.epoch !== meta.epoch) return { kind: 'snapshot-needed', reason: 'epoch' };
  if (afterSeq < meta.firstSeq - 1) return { kind: 'snapshot-needed', reason: 'compacted' };
  // The log of one generation only grows at its end (compaction moves firstSeq, checked above): same head, same answer.
  const key = `${meta.gen}|${meta.epoch}|${meta.seq}|${afterSeq}|${opts.limit}`;
  const cached = cache?.get(name);
  if (cached?.key === key) return cached.result;
  // A caller ahead of us (afterSeq > meta.seq) gets nothing until we catch up.
  const query = { start: logKey(meta.gen, afterSeq + 1), end: genRange(meta.gen).end, limit: opts.limit, snapshot };
  const changes: Change[] = [];
  for (const { key: logEntry, value } of tables.log.range(query)) {
    changes.push(Object.freeze(toChange(meta, logEntry[1] as number, value)));
  }
  const result: SinceResult = Object.freeze({ kind: 'changes', changes: Object.freeze(changes) as Change[] });
  if (cache) {
    cache.delete(name);
    cache.set(name, { key, result });
  }
  return result;
}

function refuseApply(meta: DatasetMeta, change: Change, shared: boolean): StrataError | undefined {
  const name = meta.name;
  if (shared !== (meta.shared === true)) {
    return new FailedPreconditionError(shared ? `dataset ${name} is not shared here; only its sequencer's log may advance a shared dataset` : `dataset ${name} is owned by this node; it cannot apply changes from elsewhere`);
  }
  if (meta.role === 'owner' && !shared) {
    return new FailedPreconditionError(`dataset ${name} is owned by this node; it cannot apply changes from elsewhere`);
  }
  if (change.epoch !== meta.epoch) {
    return new FailedPreconditionError(
      `change ${change.seq} of ${name} is from epoch ${change.epoch} but the replica is at epoch ${meta.epoch}; resync from a snapshot`,
    );
  }
  if (change.seq > meta.seq + 1) {
    return new FailedPreconditionError(
      `change ${change.seq} of ${name} leaves a gap after seq ${meta.seq}; resend from ${meta.seq + 1} or resync from a snapshot`,
    );
  }
  return undefined;
}

function notHeld(name: string): StrataError {
  return new NotFoundError(`dataset ${name} is not held here; create the replica or load a snapshot before applying`);
}

/** Applies one change to records, appends it to the log, advances meta (in memory). */
function applyChange(tables: Tables, meta: DatasetMeta, change: Change): void {
  const rk = recordKey(meta.gen, change.key);
  // The old value is decoded only for an index to drop its terms; otherwise whether it exists is enough.
  const indexed = tables.indexer?.covers(meta.name) === true;
  const before = indexed ? tables.records.get(rk) : undefined;
  const existed = indexed ? before !== undefined : tables.records.has(rk);
  const entry: LogEntry = { op: change.op, key: change.key, timeMs: change.timeMs };
  if (change.op === 'put') {
    entry.value = change.value;
    tables.records.put(rk, change.value);
    if (!existed) meta.entries++;
  } else if (existed) {
    tables.records.remove(rk);
    meta.entries--;
  }
  if (indexed) reindexRecord(tables, meta.name, meta.gen, change.key, before, change.op === 'put' ? change.value : undefined);
  tables.log.put(logKey(meta.gen, change.seq), entry);
  meta.seq = change.seq;
}

function saveMeta(tables: Tables, meta: DatasetMeta, nowMs: number): void {
  meta.updatedMs = nowMs;
  tables.meta.put(meta.name, meta);
}

export function toChange(meta: DatasetMeta, seq: number, entry: LogEntry): Change {
  const change: Change = { dataset: meta.name, epoch: meta.epoch, seq, op: entry.op, key: entry.key, timeMs: entry.timeMs };
  if (entry.op === 'put') change.value = entry.value;
  return change;
}

/** A write's precondition (types.ts Expectation); throwing aborts the whole transaction. */
export function checkExpectation(current: unknown, dataset: string, key: string, expect: Expectation): void {
  if (!expect.exists) {
    if (current !== undefined) throw new AlreadyExistsError(`${key} already exists in ${dataset}`);
    return;
  }
  if (current === undefined) throw new NotFoundError(`${key} does not exist in ${dataset}`);
  if ('value' in expect && JSON.stringify(current) !== JSON.stringify(expect.value)) {
    throw new AbortedError(`${key} in ${dataset} changed since it was read; read it again and retry`);
  }
}
