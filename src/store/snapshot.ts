// Snapshots (DESIGN §2, STYLE habit 6): read a whole dataset consistently as of
// one seq, and build a replacement on the side — in a staging generation no
// reader can see — then swap it in whole with one transaction. A crash or an
// abort leaves the old data untouched. Transport of snapshots is not here.

import { newerEpoch } from './datasets';
import type { Clock } from '../kernel/clock';
import { FailedPreconditionError, NotFoundError } from '../kernel/errors';
import type { LmdbEnv, PinnedSnapshot } from './engine/lmdb-env';
import { genRange, markerKey, recordKey, STAGING, toInfo, type DatasetMeta, type Tables } from './layout';
import { beginStaging, discardGen, stagingMarker, updateStaging } from './generations';
import { reindexRecord } from './indexes';
import { checkEntries, checkName, checkSeq } from './validation';
import type { DatasetInfo, Entry, SnapshotReader } from './types';

/** What a snapshot build needs from the Store that hosts it. */
export interface SnapshotHost {
  readonly env: LmdbEnv;
  readonly tables: Tables;
  readonly clock: Clock;
  /** Runs an operation: refused after close, awaited by close, lmdb failures wrapped. */
  run<T>(action: string, dataset: string, op: () => Promise<T>): Promise<T>;
  /** A generation was discarded; sweep it soon. */
  discarded(): void;
  /** The swap is visible to readers: read the dataset's info again (before the wait for the disk). */
  refreshed(dataset: string): void;
  /** The dataset changed (tell listeners). */
  changed(dataset: string): void;
}

export interface SnapshotTarget {
  owner: string;
  epoch: string;
  seq: number;
}

/** `track` registers the reader's release so the Store can end it at close. */
export function readSnapshot(
  env: LmdbEnv,
  tables: Tables,
  name: string,
  batchSize: number,
  track: (release: () => void) => () => void,
): SnapshotReader {
  const pinned = env.pin();
  let meta: DatasetMeta | undefined;
  try {
    meta = tables.meta.get(name, pinned);
  } finally {
    if (!meta) pinned.release();
  }
  if (!meta) throw new NotFoundError(`dataset ${name} does not exist; there is nothing to snapshot`);
  const close = track(pinned.release);
  return { info: toInfo(meta), batches: readBatches(tables, meta, pinned, close, batchSize), close };
}

/**
 * One short range read per batch, all on the pinned snapshot, so no cursor
 * stays open while the consumer awaits between batches.
 */
function* readBatches(tables: Tables, meta: DatasetMeta, pinned: PinnedSnapshot, close: () => void, size: number) {
  const gen = meta.gen;
  try {
    let after: string | undefined;
    for (;;) {
      if (pinned.released) {
        throw new FailedPreconditionError(`the snapshot of ${meta.name} was closed (or its store was) before it was read to the end`);
      }
      const start = after === undefined ? genRange(gen).start : recordKey(gen, after);
      const rows = tables.records.range({ start, exclusiveStart: after !== undefined, end: genRange(gen).end, limit: size, snapshot: pinned });
      const batch: Entry[] = [...rows].map(({ key, value }) => ({ key: key[1] as string, value }));
      if (batch.length > 0) yield batch;
      if (batch.length < size) return;
      after = batch[batch.length - 1].key;
    }
  } finally {
    close();
  }
}

export class SnapshotBuilder {
  private readonly gen: Promise<number>;
  private chain: Promise<unknown>;
  private state: 'building' | 'committed' | 'aborted' = 'building';

  constructor(
    private readonly host: SnapshotHost,
    readonly dataset: string,
    private readonly target: SnapshotTarget,
  ) {
    checkName('dataset name', dataset);
    checkName('owner', target.owner);
    checkName('epoch', target.epoch);
    checkSeq('seq', target.seq, 0);
    if (host.tables.meta.get(dataset)?.role === 'owner') {
      throw new FailedPreconditionError(`dataset ${dataset} is owned by this node; a snapshot must not replace it`);
    }
    this.gen = host.run('begin snapshot', dataset, () => host.env.write(() => beginStaging(host.tables, dataset)));
    this.chain = this.gen.catch(() => undefined);
  }

  /** Writes entries into the staging generation; invisible until commit(). */
  add(entries: Entry[]): Promise<void> {
    this.assertBuilding('add to');
    checkEntries(this.dataset, entries);
    return this.step('add to snapshot', (gen) => writeStaged(this.host.tables, gen, this.dataset, entries));
  }

  /** One transaction: the dataset now is exactly the staged entries at target epoch/seq, with an empty log. */
  async commit(): Promise<DatasetInfo> {
    this.assertBuilding('commit');
    this.state = 'committed';
    const now = () => this.host.clock.nowMs();
    try {
      const info = await this.step('commit snapshot', (gen) => swapIn(this.host.tables, gen, this.dataset, this.target, now()), () => this.host.refreshed(this.dataset));
      this.host.changed(this.dataset);
      return info;
    } catch (err) {
      this.state = 'aborted';
      await this.discard().catch(() => undefined);
      throw err;
    } finally {
      this.host.discarded();
    }
  }

  /** Throws the staging generation away; the dataset keeps its old data. Idempotent. */
  async abort(): Promise<void> {
    if (this.state !== 'building') return;
    this.state = 'aborted';
    await this.discard();
    this.host.discarded();
  }

  private discard(): Promise<void> {
    return this.step('abort snapshot', (gen) => discardGen(this.host.tables, gen, this.dataset));
  }

  private step<T>(action: string, fn: (gen: number) => T, visible?: () => void): Promise<T> {
    const result = this.chain.then(async () => {
      const gen = await this.gen;
      return this.host.run(action, this.dataset, () => this.host.env.write(() => fn(gen), { visible }));
    });
    this.chain = result.catch(() => undefined);
    return result;
  }

  private assertBuilding(what: string): void {
    if (this.state !== 'building') {
      throw new FailedPreconditionError(`cannot ${what} the snapshot of ${this.dataset}: it was already ${this.state}`);
    }
  }
}

function writeStaged(tables: Tables, gen: number, dataset: string, entries: readonly Entry[]): void {
  const marker = liveStaging(tables, gen, dataset);
  for (const { key, value } of entries) {
    const rk = recordKey(gen, key);
    const before = tables.records.get(rk);
    if (before === undefined) marker.entries++;
    tables.records.put(rk, value);
    reindexRecord(tables, dataset, gen, key, before, value);
  }
  updateStaging(tables, gen, marker);
}

function swapIn(tables: Tables, gen: number, name: string, target: SnapshotTarget, nowMs: number): DatasetInfo {
  const marker = liveStaging(tables, gen, name);
  const old = tables.meta.get(name);
  if (old?.role === 'owner') {
    throw new FailedPreconditionError(`dataset ${name} is owned by this node; a snapshot must not replace it`);
  }
  if (old && (newerEpoch(old.epoch, target.epoch) || (old.epoch === target.epoch && old.seq > target.seq))) {
    throw new FailedPreconditionError(`snapshot of ${name} at ${target.epoch}#${target.seq} is older than the replica held (${old.epoch}#${old.seq}); kept the newer one`);
  }
  if (old) discardGen(tables, old.gen, name);
  tables.internal.remove(markerKey(STAGING, gen));
  const meta: DatasetMeta = {
    name,
    owner: target.owner,
    role: 'replica',
    epoch: target.epoch,
    seq: target.seq,
    firstSeq: target.seq + 1,
    entries: marker.entries,
    updatedMs: nowMs,
    gen,
  };
  tables.meta.put(name, meta);
  return toInfo(meta);
}

function liveStaging(tables: Tables, gen: number, dataset: string) {
  const marker = stagingMarker(tables, gen);
  if (!marker) {
    throw new FailedPreconditionError(`the snapshot build of ${dataset} was discarded (store reopened?); start a new one`);
  }
  return marker;
}
