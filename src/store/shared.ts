// Shared datasets (StoreOptions.sequencer, the HA core): the store holds a
// mirror of a dataset whose log is kept by the sequencer (etcd). Installing
// one replaces it whole with the sequencer's records as of a head — the
// transaction body lives here; Store.installShared runs it.

import { deleteDataset, insertDataset } from './datasets';
import { reindexRecord } from './indexes';
import { recordKey, toInfo, type Tables } from './layout';
import type { DatasetInfo, Entry, SharedHead } from './types';

/** Inside a write transaction: the dataset replaced by `entries` at head.seq, marked shared. */
export function installSharedRows(tables: Tables, head: SharedHead, entries: readonly Entry[], nowMs: number): DatasetInfo {
  deleteDataset(tables, head.name);
  const meta = insertDataset(tables, { name: head.name, owner: head.owner, role: 'owner', epoch: head.epoch }, nowMs);
  for (const { key, value } of entries) {
    tables.records.put(recordKey(meta.gen, key), value);
    reindexRecord(tables, head.name, meta.gen, key, undefined, value);
  }
  Object.assign(meta, { seq: head.seq, firstSeq: head.seq + 1, entries: entries.length, shared: true });
  tables.meta.put(head.name, meta);
  return toInfo(meta);
}
