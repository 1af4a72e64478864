// Dataset metadata rows: creating an owned dataset or an empty replica, and
// dropping one. Runs inside a write transaction handed in by the Store; the
// dataset's content (records, log) is handled by change-log and generations.

import { randomUUID } from 'node:crypto';
import { AlreadyExistsError } from '../kernel/errors';
import { allocateGen, type DatasetMeta, type Tables } from './layout';
import { discardGen } from './generations';
import type { DatasetRole } from './types';

export interface NewDataset {
  name: string;
  owner: string;
  role: DatasetRole;
  /** Omitted for an owned dataset: a fresh random epoch is made. */
  epoch?: string;
}

export function insertDataset(tables: Tables, spec: NewDataset, nowMs: number): DatasetMeta {
  if (tables.meta.get(spec.name)) {
    throw new AlreadyExistsError(`dataset ${spec.name} already exists`);
  }
  const meta: DatasetMeta = {
    name: spec.name,
    owner: spec.owner,
    role: spec.role,
    epoch: spec.epoch ?? randomUUID(),
    seq: 0,
    firstSeq: 1,
    entries: 0,
    updatedMs: nowMs,
    gen: allocateGen(tables),
  };
  tables.meta.put(spec.name, meta);
  return meta;
}

/** Removes the dataset's meta; its generation is left for the sweeper. */
export function deleteDataset(tables: Tables, name: string): boolean {
  const meta = tables.meta.get(name);
  if (!meta) return false;
  tables.meta.remove(name);
  discardGen(tables, meta.gen, name);
  return true;
}
