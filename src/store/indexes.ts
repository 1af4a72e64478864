// Secondary indexes (derived data, never replicated): an Indexer given to the
// store names the terms of each record of the datasets it covers, and the
// store keeps `index` rows [gen, term, record key] in the same transaction as
// the record — owner writes, replica applies and snapshot builds alike. Rows
// live in the record's generation, so a swapped-in snapshot brings its own and
// the sweeper drops the old ones. When the indexer's version differs from the
// one the rows were built with, open() rebuilds them from the records.

import { createHash } from 'node:crypto';
import { genRange, type DatasetMeta, type IndexKey, type Tables } from './layout';
import type { ReadSnapshot } from './engine/lmdb-env';
import type { IndexQuery, Indexer } from './types';

/** Terms longer than this (UTF-8 bytes) are cut: a lookup of a long term then returns a superset, never less. */
const MAX_TERM_BYTES = 400;
/** Record keys longer than this are stored as a digest in the index key, with the key itself as the row's value. */
const MAX_INLINE_KEY_BYTES = 1400;
const VERSION_KEY = 'indexVersion';

/** A term as stored: control characters (ordered-binary's markers) as spaces, cut to MAX_TERM_BYTES. */
export function storedTerm(term: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = term.replace(/[\u0000-\u001f\u007f]/g, ' ');
  if (Buffer.byteLength(clean) <= MAX_TERM_BYTES) return clean;
  let cut = Buffer.from(clean).subarray(0, MAX_TERM_BYTES).toString('utf8');
  if (cut.endsWith('\ufffd')) cut = cut.slice(0, -1); // a character split by the cut
  return cut;
}

function indexKey(gen: number, term: string, key: string): { row: IndexKey; value: string | 1 } {
  if (Buffer.byteLength(key) <= MAX_INLINE_KEY_BYTES) return { row: [gen, term, key], value: 1 };
  return { row: [gen, term, `#${createHash('sha256').update(key).digest('hex')}`], value: key };
}

function termsOf(indexer: Indexer, key: string, value: unknown): Set<string> {
  if (value === undefined) return new Set();
  return new Set(indexer.terms(key, value).map(storedTerm));
}

/** Keeps the rows of one record in step with its new value (undefined: removed); inside the write transaction. */
export function reindexRecord(tables: Tables, dataset: string, gen: number, key: string, before: unknown, after: unknown): void {
  const indexer = tables.indexer;
  if (!indexer || !indexer.covers(dataset)) return;
  const old = termsOf(indexer, key, before);
  const now = termsOf(indexer, key, after);
  for (const term of old) {
    if (!now.has(term)) tables.index.remove(indexKey(gen, term, key).row);
  }
  for (const term of now) {
    if (old.has(term)) continue;
    const { row, value } = indexKey(gen, term, key);
    tables.index.put(row, value);
  }
}

/** Record keys whose terms match the query, in term then key order. */
export function lookupIndex(tables: Tables, snapshot: ReadSnapshot, meta: DatasetMeta, query: IndexQuery): string[] {
  const term = storedTerm('term' in query ? query.term : query.prefix);
  const start: IndexKey = [meta.gen, term];
  // Terms hold no control characters, so term + \x01 is the first term after every [gen, term, …] row.
  const end: IndexKey = 'term' in query ? [meta.gen, `${term}\u0001`] : [meta.gen, `${term}\u{10ffff}`];
  const keys: string[] = [];
  for (const { key, value } of tables.index.range({ start, end, snapshot })) {
    if (key.length === 3) keys.push(typeof value === 'string' ? value : (key[2] as string));
  }
  return keys;
}

/** On open: rebuilds every covered dataset's rows if the indexer changed (or drops them all if there is none now). */
export function rebuildIfChanged(tables: Tables): number {
  const version = tables.indexer?.version ?? '';
  if ((tables.internal.get(VERSION_KEY) ?? '') === version) return 0;
  let rows = 0;
  for (const { value: meta } of tables.meta.range({})) {
    for (const row of [...tables.index.keys(genRange(meta.gen))]) tables.index.remove(row);
    if (!tables.indexer?.covers(meta.name)) continue;
    for (const { key, value } of tables.records.range(genRange(meta.gen))) {
      reindexRecord(tables, meta.name, meta.gen, key[1] as string, undefined, value);
      rows++;
    }
  }
  if (version === '') tables.internal.remove(VERSION_KEY);
  else tables.internal.put(VERSION_KEY, version);
  return rows;
}
