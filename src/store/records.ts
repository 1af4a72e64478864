// Reads of a dataset's current records and index rows, on one read snapshot
// with the dataset's meta read once: one key, many keys, a key-ordered range
// under a prefix, an index lookup. Writes to records happen only through the
// change log and snapshots.

import { NotFoundError } from '../kernel/errors';
import type { ReadSnapshot } from './engine/lmdb-env';
import { lookupIndex } from './indexes';
import { genRange, recordKey, type DatasetMeta, type Tables } from './layout';
import type { EntriesOptions, Entry, IndexQuery } from './types';
import * as check from './validation';

export function heldMeta(tables: Tables, snapshot: ReadSnapshot, name: string): DatasetMeta {
  const meta = tables.meta.get(name, snapshot);
  if (!meta) throw new NotFoundError(`dataset ${name} does not exist`);
  return meta;
}

/** One dataset as of one read snapshot (Store.reading): valid only inside the call that gave it. */
export interface DatasetReads {
  /** The record's value; undefined if the key is absent. */
  get(key: string): unknown;
  /** The values of `keys`, undefined where absent. */
  getMany(keys: readonly string[]): unknown[];
  /** Records in key order, optionally only keys starting with prefix. */
  entries(opts?: EntriesOptions): Entry[];
  /** Keys of the records whose index terms match (StoreOptions.indexer), in term then key order. */
  lookup(query: IndexQuery): string[];
}

/** Runs one read, turning its failures into the caller's errors (Store: StoreErrors naming the action). */
export type ReadGuard = <R>(action: string, op: () => R) => R;

/** The reads of dataset `name` on `snapshot`; NotFoundError if the dataset is not held. */
export function datasetReads(tables: Tables, snapshot: ReadSnapshot, name: string, guard: ReadGuard): DatasetReads {
  const meta = heldMeta(tables, snapshot, name);
  const { gen } = meta;
  return {
    get: (key) => guard('read record', () => {
      check.checkName('key', key);
      return tables.records.get(recordKey(gen, key), snapshot);
    }),
    getMany: (keys) => guard('read records', () => {
      for (const key of keys) check.checkName('key', key);
      return keys.map((key) => tables.records.get(recordKey(gen, key), snapshot));
    }),
    entries: (opts = {}) => guard('read records', () => {
      if (opts.limit !== undefined) check.checkSeq('limit', opts.limit, 0);
      return readEntries(tables, snapshot, gen, opts);
    }),
    lookup: (query) => guard('look up index', () => lookupIndex(tables, snapshot, meta, query)),
  };
}

function readEntries(tables: Tables, snapshot: ReadSnapshot, gen: number, opts: EntriesOptions): Entry[] {
  const prefix = opts.prefix ?? '';
  const limit = opts.limit ?? Infinity;
  // Keys sharing a prefix are contiguous in key order, so start there and stop at the first other key.
  const start = prefix ? recordKey(gen, prefix) : genRange(gen).start;
  const out: Entry[] = [];
  for (const { key, value } of tables.records.range({ start, end: genRange(gen).end, snapshot })) {
    const k = key[1] as string;
    if (out.length >= limit || !k.startsWith(prefix)) break;
    out.push({ key: k, value });
  }
  return out;
}
