// Reads of a dataset's current records, on one read snapshot: one key, or a
// key-ordered range under a prefix. Writes to records happen only through the
// change log and snapshots.

import { NotFoundError } from '../kernel/errors';
import type { ReadSnapshot } from './engine/lmdb-env';
import { genRange, recordKey, type DatasetMeta, type Tables } from './layout';
import type { EntriesOptions, Entry } from './types';

export function heldMeta(tables: Tables, snapshot: ReadSnapshot, name: string): DatasetMeta {
  const meta = tables.meta.get(name, snapshot);
  if (!meta) throw new NotFoundError(`dataset ${name} does not exist`);
  return meta;
}

export function readRecord(tables: Tables, snapshot: ReadSnapshot, name: string, key: string): unknown {
  return tables.records.get(recordKey(heldMeta(tables, snapshot, name).gen, key), snapshot);
}

export function readRecords(tables: Tables, snapshot: ReadSnapshot, name: string, keys: readonly string[]): unknown[] {
  const { gen } = heldMeta(tables, snapshot, name);
  return keys.map((key) => tables.records.get(recordKey(gen, key), snapshot));
}

export function readEntries(tables: Tables, snapshot: ReadSnapshot, name: string, opts: EntriesOptions): Entry[] {
  const prefix = opts.prefix ?? '';
  const limit = opts.limit ?? Infinity;
  const { gen } = heldMeta(tables, snapshot, name);
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
