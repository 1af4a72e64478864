// Dataset metadata rows: creating an owned dataset or an empty replica,
// renewing an owner's epoch, and dropping one — the row functions run inside
// a write transaction handed in by the Store, and DatasetLifecycle is the
// Store's operations on them (checks, the commit, telling listeners). The
// dataset's content (records, log) is handled by change-log and generations.

import { randomUUID } from 'node:crypto';
import type { Clock } from '../kernel/clock';
import { AlreadyExistsError, FailedPreconditionError, NotFoundError } from '../kernel/errors';
import { allocateGen, toInfo, type DatasetMeta, type Tables } from './layout';
import { discardGen } from './generations';
import type { ChangeListeners } from './listeners';
import type { Operations } from './operations';
import * as check from './validation';
import type { DatasetInfo, DatasetRole, Sequencer } from './types';

export interface NewDataset {
  name: string;
  owner: string;
  role: DatasetRole;
  /** Omitted for an owned dataset: a fresh random epoch is made. */
  epoch?: string;
}

/**
 * Epochs sort by creation time (base-36 milliseconds, then a random part), so
 * a node can tell an older copy of a dataset from a newer one and never lets
 * a stale relay's copy replace a newer one.
 */
export function newEpoch(nowMs: number): string {
  return `${Math.max(0, Math.floor(nowMs)).toString(36).padStart(10, '0')}-${randomUUID().slice(0, 8)}`;
}

/** An epoch newer than `previous`, even if the clock has not moved (or went back). */
export function nextEpoch(previous: string, nowMs: number): string {
  const previousMs = Number.parseInt(previous.split('-')[0] ?? '', 36);
  return newEpoch(Number.isFinite(previousMs) ? Math.max(nowMs, previousMs + 1) : nowMs);
}

/** Is epoch `a` newer than `b`? */
export function newerEpoch(a: string, b: string): boolean {
  return a > b;
}

export function insertDataset(tables: Tables, spec: NewDataset, nowMs: number): DatasetMeta {
  if (tables.meta.get(spec.name)) {
    throw new AlreadyExistsError(`dataset ${spec.name} already exists`);
  }
  const meta: DatasetMeta = {
    name: spec.name,
    owner: spec.owner,
    role: spec.role,
    epoch: spec.epoch ?? newEpoch(nowMs),
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

/** Owner only: the dataset's meta with an epoch newer than its own (and than `newerThan`), its records and seq kept; stored. */
export function renewEpochRow(tables: Tables, name: string, newerThan: string | undefined, nowMs: number): DatasetMeta {
  const meta = tables.meta.get(name);
  if (!meta) throw new NotFoundError(`dataset ${name} does not exist`);
  if (meta.role !== 'owner') throw new FailedPreconditionError(`dataset ${name} is owned by ${meta.owner}; only the owner can renew its epoch`);
  if (meta.shared) throw new FailedPreconditionError(`dataset ${name} is shared by the core's members; its epoch is kept in etcd and not renewed by one member`);
  const base = newerThan && newerThan > meta.epoch ? newerThan : meta.epoch;
  const renewed = { ...meta, epoch: nextEpoch(base, nowMs), firstSeq: meta.seq + 1, updatedMs: nowMs };
  tables.meta.put(name, renewed);
  return renewed;
}

/** What DatasetLifecycle needs of its Store. */
export interface LifecycleHost {
  readonly nodeName: string;
  readonly tables: Tables;
  readonly clock: Clock;
  readonly ops: Operations;
  readonly listeners: ChangeListeners;
  readonly sequencer: Sequencer | undefined;
  /** The Store's commit: `fn` in one write transaction, the meta of `touched` re-read once visible. */
  commit<T>(fn: () => T, touched: readonly string[]): Promise<T>;
  /** The dataset as held, from the meta cache. */
  dataset(name: string): DatasetInfo | undefined;
  /** A dropped dataset's records are there to sweep. */
  sweepSoon(): void;
}

/** Creating, renewing and dropping datasets: Store's operations on their meta rows. */
export class DatasetLifecycle {
  constructor(private readonly host: LifecycleHost) {}

  create(name: string, owner: string): Promise<DatasetInfo> {
    if (this.host.sequencer) return this.host.sequencer.create(name, owner);
    return this.insert({ name, owner, role: 'owner' });
  }

  createReplica(name: string, owner: string, epoch: string): Promise<DatasetInfo> {
    return this.insert({ name, owner, role: 'replica', epoch });
  }

  ensure(name: string): Promise<DatasetInfo> {
    const { host } = this;
    if (host.sequencer) {
      const held = host.dataset(name);
      return held ? Promise.resolve(held) : host.sequencer.create(name, host.nodeName);
    }
    return host.ops.run('ensure dataset', name, () => {
      check.checkName('dataset name', name);
      const spec: NewDataset = { name, owner: host.nodeName, role: 'owner' };
      return host.commit(() => toInfo(host.tables.meta.get(name) ?? insertDataset(host.tables, spec, host.clock.nowMs())), [name]);
    });
  }

  async renewEpoch(name: string, newerThan?: string): Promise<DatasetInfo> {
    const { host } = this;
    const info = await host.ops.run('renew epoch', name, () => host.commit(() => toInfo(renewEpochRow(host.tables, name, newerThan, host.clock.nowMs())), [name]));
    host.listeners.notify([name]);
    return info;
  }

  async drop(name: string): Promise<boolean> {
    const { host } = this;
    const dropped = await host.ops.run('drop dataset', name, () => {
      check.checkName('dataset name', name);
      return host.commit(() => deleteDataset(host.tables, name), [name]);
    });
    if (dropped) {
      host.sweepSoon();
      host.listeners.notify([name]);
    }
    return dropped;
  }

  private async insert(spec: NewDataset): Promise<DatasetInfo> {
    const { host } = this;
    const info = await host.ops.run('create dataset', spec.name, () => {
      check.checkName('dataset name', spec.name);
      check.checkName('owner', spec.owner);
      if (spec.epoch !== undefined) check.checkName('epoch', spec.epoch);
      return host.commit(() => toInfo(insertDataset(host.tables, spec, host.clock.nowMs())), [spec.name]);
    });
    host.listeners.notify([spec.name]);
    return info;
  }
}
