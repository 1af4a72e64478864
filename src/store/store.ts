// The embedded store of one node (DESIGN §2–§3): datasets with one owner, an
// epoch and a seq; an append-only change log per dataset; replica apply with
// cursors; snapshots built on the side and swapped in whole; compaction; a
// small node-state table. This class is the façade: it validates arguments,
// runs each operation in one LMDB transaction, and tracks work for close().
// The logic lives in change-log, snapshot, compaction and generations; the
// LMDB specifics in lmdb-env. Transport and replication loops are not here.

import { mkdir } from 'node:fs/promises';
import type { Clock } from '../kernel/clock';
import { FailedPreconditionError, NotFoundError } from '../kernel/errors';
import { silentLogger, type Logger } from '../kernel/log';
import { appendOwned, applyReplicated, checkExpectation, readSince, SINCE_CACHE_DATASETS, type SinceCache } from './change-log';
import { CompactionSchedule, compactDatasets } from './compaction';
import { NodeState } from './node-state';
import { ChangeListeners } from './listeners';
import { DatasetLifecycle } from './datasets';
import { Sweeper } from './generations';
import { recoverOnOpen } from './recovery';
import { tablesOf, toInfo, type Tables } from './layout';
import { openLmdbEnv, type LmdbEnv, type PinnedSnapshot, type WriteOptions } from './engine/lmdb-env';
import { MemoryEnv } from './engine/memory-env';
import { MetaCache } from './meta-cache';
import { Operations } from './operations';
import { installSharedRows } from './shared';
import { datasetReads, type DatasetReads } from './records';
import { readSnapshot, SnapshotBuilder, type SnapshotHost } from './snapshot';
import { storeFailure } from './store-error';
import * as check from './validation';
import { BoundedMap } from '../kernel/bounded-map';
import {
  DEFAULT_COMPACTION,
  type ApplyResult, type Change, type CompactionPolicy, type Cursor, type DatasetInfo, type Entry,
  type EntriesOptions, type IndexQuery, type Mutation, type Sequencer, type SharedHead, type SinceOptions, type SinceResult, type SnapshotReader, type StoreOptions,
} from './types';

const DEFAULT_SINCE_LIMIT = 1000;
const DEFAULT_SNAPSHOT_BATCH = 1000;

export class Store {
  readonly dir: string;
  readonly nodeName: string;
  private readonly tables: Tables;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly policy: CompactionPolicy;
  private readonly sweeper: Sweeper;
  private readonly ops: Operations;
  private readonly host: SnapshotHost;
  private closing: Promise<void> | undefined;
  private readonly compaction: CompactionSchedule;
  /** Told after each commit; the meta cache of the datasets named is up to date by then (commit() refreshed it). */
  private readonly listeners: ChangeListeners;
  private readonly state: NodeState;
  private readonly sinceCache: SinceCache = new BoundedMap(SINCE_CACHE_DATASETS);
  private readonly meta: MetaCache;
  private readonly timedWrite: StoreOptions['timedWrite'];
  private readonly sequencer: Sequencer | undefined;
  private readonly lifecycle: DatasetLifecycle;

  private constructor(private readonly env: LmdbEnv, opts: StoreOptions, policy: CompactionPolicy) {
    this.dir = opts.dir;
    this.nodeName = opts.nodeName;
    this.tables = tablesOf(env, opts.indexer);
    this.meta = new MetaCache(this.tables);
    this.clock = opts.clock;
    this.logger = opts.logger ?? silentLogger();
    this.listeners = new ChangeListeners(this.logger);
    this.policy = policy;
    this.timedWrite = opts.timedWrite;
    this.sequencer = opts.sequencer;
    this.sweeper = new Sweeper(env, this.tables, this.logger);
    this.ops = new Operations(opts.dir);
    this.state = new NodeState(this.tables.state, this.ops, (fn) => this.commit(fn, [], {}));
    this.lifecycle = new DatasetLifecycle({
      nodeName: this.nodeName, tables: this.tables, clock: this.clock, ops: this.ops, listeners: this.listeners, sequencer: this.sequencer,
      commit: (fn, touched) => this.commit(fn, touched, {}),
      dataset: (name) => this.dataset(name),
      sweepSoon: () => this.sweeper.sweepSoon(),
    });
    this.compaction = new CompactionSchedule(this.clock, () => this.compact(), () => this.ops.isClosed, this.logger, opts.dir);
    this.host = {
      env, tables: this.tables, clock: this.clock,
      run: (action, dataset, op) => this.ops.run(action, dataset, op),
      discarded: () => this.sweeper.sweepSoon(),
      refreshed: (dataset) => this.meta.refresh([dataset]),
      changed: (dataset) => {
        this.meta.refresh([dataset]);
        this.listeners.notify([dataset]);
      },
    };
  }

  /** Opens (creating if needed) the store under opts.dir and discards snapshot builds a crash left behind. */
  static async open(opts: StoreOptions): Promise<Store> {
    check.checkName('nodeName', opts.nodeName);
    check.checkName('dir', opts.dir);
    const policy = { ...DEFAULT_COMPACTION, ...opts.compaction };
    check.checkPolicy(policy);
    let env: LmdbEnv;
    try {
      if (!opts.readOnly) await mkdir(opts.dir, { recursive: true });
      env = opts.engine === 'memory' ? new MemoryEnv(opts.dir) : openLmdbEnv(opts.dir, () => opts.clock.monotonicNs(), opts.readOnly);
    } catch (err) {
      throw storeFailure('open', opts.dir, err);
    }
    const store = new Store(env, opts, policy);
    if (opts.readOnly) return store; // the owning process recovers, rebuilds and sweeps
    try {
      await recoverOnOpen(env, store.tables, opts.dir, store.logger, opts.indexer?.version);
    } catch (err) {
      await env.close().catch(() => undefined);
      throw err;
    }
    store.sweeper.sweepSoon();
    return store;
  }

  // ---- datasets

  /** A new owned dataset: fresh random epoch, seq 0. `owner` is the owner's node name. */
  createDataset(name: string, owner: string = this.nodeName): Promise<DatasetInfo> {
    return this.lifecycle.create(name, owner);
  }

  /** An empty replica (seq 0) of another node's dataset, ready for apply() from seq 1. */
  createReplica(name: string, owner: string, epoch: string): Promise<DatasetInfo> {
    return this.lifecycle.createReplica(name, owner, epoch);
  }

  /** The dataset as held (owned or replica), or a new owned one. */
  ensureDataset(name: string): Promise<DatasetInfo> {
    return this.lifecycle.ensure(name);
  }

  /**
   * Owner only: give the dataset a new (newer) epoch, keeping its records and
   * seq. Replicas then resync from a snapshot. For when a replica is found
   * ahead of its owner (the owner's store was restored from a backup), or
   * holding an epoch that sorts later (the owner was rebuilt with its clock behind).
   */
  renewEpoch(name: string, newerThan?: string): Promise<DatasetInfo> {
    return this.lifecycle.renewEpoch(name, newerThan);
  }

  /** Removes the dataset; its data is swept in the background. Resolves false if it was not held. */
  dropDataset(name: string): Promise<boolean> {
    return this.lifecycle.drop(name);
  }

  dataset(name: string): DatasetInfo | undefined {
    check.checkName('dataset name', name);
    return this.ops.read('read dataset', name, () => this.meta.view().get(name));
  }

  /**
   * The dataset's info read from the environment now, not from memory. A commit is visible to
   * readers (and to readSnapshot) a moment before this process hears it committed and refreshes
   * dataset(): a decision that compares the two — is a peer ahead of the owner? — checks this first.
   */
  datasetAsStored(name: string): DatasetInfo | undefined {
    check.checkName('dataset name', name);
    return this.ops.read('read dataset', name, () => this.env.read((snapshot) => {
      const meta = this.tables.meta.get(name, snapshot);
      return meta && Object.freeze(toInfo(meta));
    }));
  }

  /** The names of the datasets held, in order: the same array until a name comes or goes (do not change it). */
  datasetNames(): readonly string[] {
    return this.ops.read('list datasets', undefined, () => this.meta.names());
  }

  /** Every dataset held, in name order. */
  datasets(): DatasetInfo[] {
    return this.ops.read('list datasets', undefined, () => this.meta.names().map((name) => this.meta.view().get(name)!));
  }

  /**
   * env.write for every transaction the store runs. `touched`: the datasets
   * whose meta it may change, re-read into the cache once it commits;
   * without it the whole cache is dropped (datasets created or removed).
   */
  private commit<T>(fn: () => T, touched: readonly string[] | undefined, options: Omit<WriteOptions, 'visible'>): Promise<T> {
    // Refreshed as soon as the commit is visible (or failed), not after the fsync: a snapshot sent
    // in between showed a seq this cache did not have yet (see also datasetAsStored()).
    return this.env.write(fn, { ...options, visible: () => this.meta.refresh(touched) });
  }

  cursor(name: string): Cursor | undefined {
    const info = this.dataset(name);
    return info && { dataset: info.name, epoch: info.epoch, seq: info.seq };
  }

  /** Cursors of the replicas held, to send to a peer on (re)connect. */
  cursors(): Cursor[] {
    return this.datasets()
      .filter((d) => d.role === 'replica')
      .map((d) => ({ dataset: d.name, epoch: d.epoch, seq: d.seq }));
  }

  // ---- change notification

  /**
   * Calls `listener` after each durable write, apply or snapshot swap, with
   * the datasets it touched (and after createReplica/drop). Returns an unsubscribe function.
   * Listeners must not throw; they run synchronously after the commit.
   */
  onChange(listener: (datasets: readonly string[]) => void): () => void {
    return this.listeners.add(listener);
  }

  // ---- change log

  /** Owner write: one transaction, consecutive seqs; resolves once durable (fsynced). */
  write(name: string, mutations: Mutation[]): Promise<Change[]> {
    if (this.sequencer && this.dataset(name)?.shared) {
      check.checkMutations(name, mutations);
      return this.ops.run('write', name, () => this.sequencer!.write(name, [...mutations]));
    }
    return this.ops.run('write', name, async () => {
      check.checkName('dataset name', name);
      check.checkMutations(name, mutations);
      const batch = [...mutations];
      const changes = await this.commit(() => appendOwned(this.tables, name, batch, this.clock.nowMs()), [name], { timed: this.timedWrite });
      this.listeners.notify([name]);
      return changes;
    });
  }

  /**
   * Replica apply, in order, exactly once. Rejects with FailedPreconditionError
   * at the first gap or foreign epoch (changes before it stay applied), and
   * NotFoundError for a dataset not held: createReplica() or a snapshot first.
   */
  apply(changes: Change[]): Promise<ApplyResult> {
    return this.applyChanges('apply', changes, false);
  }

  // ---- shared datasets (StoreOptions.sequencer): the mirror of the sequencer's log

  /** The sequencer's changes to shared datasets, in order, exactly once (like apply()). */
  applyShared(changes: Change[]): Promise<ApplyResult> {
    return this.applyChanges('apply shared', changes, true);
  }

  private applyChanges(action: string, changes: Change[], shared: boolean): Promise<ApplyResult> {
    return this.ops.run(action, changes[0]?.dataset, async () => {
      check.checkChanges(changes);
      const batch = [...changes];
      const names = [...new Set(batch.map((c) => c.dataset))];
      const result = await this.commit(() => applyReplicated(this.tables, batch, this.clock.nowMs(), shared), names, { durable: false });
      if (result.applied > 0) this.listeners.notify(names);
      if (result.error) throw result.error;
      return { applied: result.applied, skipped: result.skipped };
    });
  }

  /** Replaces (or creates) the shared dataset with the sequencer's records as of head.seq, in one transaction. */
  async installShared(head: SharedHead, entries: readonly Entry[]): Promise<DatasetInfo> {
    const info = await this.ops.run('install shared', head.name, () => {
      check.checkName('dataset name', head.name);
      check.checkName('owner', head.owner);
      check.checkName('epoch', head.epoch);
      check.checkSeq('seq', head.seq, 0);
      return this.commit(() => installSharedRows(this.tables, head, entries, this.clock.nowMs()), [head.name], { durable: false });
    });
    this.sweeper.sweepSoon();
    this.listeners.notify([head.name]);
    return info;
  }

  /**
   * Throws as an owner write would if an expectation of `mutations` does not
   * hold on the records as held here, with `overlay` (key → value, undefined
   * for deleted) of writes ordered before them and not yet applied.
   */
  checkExpectations(name: string, mutations: readonly Mutation[], overlay: ReadonlyMap<string, unknown> = new Map()): void {
    const expecting = mutations.filter((m) => m.expect);
    if (expecting.length === 0) return;
    const current = this.getMany(name, expecting.map((m) => m.key));
    expecting.forEach((m, i) => checkExpectation(overlay.has(m.key) ? overlay.get(m.key) : current[i], name, m.key, m.expect!));
  }

  /** Changes with seq > afterSeq (owner's seqs, also on replicas), or why a snapshot is needed. */
  since(name: string, afterSeq: number, opts: SinceOptions = {}): SinceResult {
    check.checkName('dataset name', name);
    check.checkSeq('afterSeq', afterSeq, 0);
    const limit = opts.limit ?? DEFAULT_SINCE_LIMIT;
    check.checkSeq('limit', limit, 1);
    return this.ops.read('read changes', name, () =>
      this.env.read((s) => readSince(this.tables, s, name, afterSeq, { epoch: opts.epoch, limit }, this.sinceCache)),
    );
  }

  // ---- records

  /** The record's value; undefined if the key is absent. NotFoundError if the dataset is. */
  get(name: string, key: string): unknown {
    return this.reading(name, (r) => r.get(key));
  }

  /** The values of `keys` (undefined where absent), read in one transaction: for many keys at once. */
  getMany(name: string, keys: readonly string[]): unknown[] {
    return this.reading(name, (r) => r.getMany(keys));
  }

  /** Records in key order, optionally only keys starting with prefix. */
  entries(name: string, opts: EntriesOptions = {}): Entry[] {
    return this.reading(name, (r) => r.entries(opts));
  }

  /** Keys of the dataset's records whose index terms match (StoreOptions.indexer); [] without an indexer. */
  lookup(name: string, query: IndexQuery): string[] {
    return this.reading(name, (r) => r.lookup(query));
  }

  /**
   * Several reads of one dataset on one snapshot, its meta read once (a search: an index lookup, then
   * the records it names). `r` is valid only until fn returns. The snapshot is pinned and the meta
   * read at the first read: a search that finds all it needs in its caches reads nothing. NotFoundError
   * (at the first read) if the dataset is not held.
   */
  reading<T>(name: string, fn: (r: DatasetReads) => T): T {
    check.checkName('dataset name', name);
    // Failures of the reads become StoreErrors naming the dataset; fn's own pass through as they are.
    const guard = <R>(action: string, op: () => R): R => this.ops.read(action, name, op);
    let pinned: PinnedSnapshot | undefined;
    let reads: DatasetReads | undefined;
    const open = (): DatasetReads => {
      pinned ??= guard('read records', () => this.env.pin(true));
      return (reads ??= guard('read records', () => datasetReads(this.tables, pinned!, name, guard)));
    };
    try {
      return fn({ get: (key) => open().get(key), getMany: (keys) => open().getMany(keys), entries: (opts) => open().entries(opts), lookup: (query) => open().lookup(query) });
    } finally {
      pinned?.release();
    }
  }

  // ---- snapshots

  readSnapshot(name: string, opts: { batchSize?: number } = {}): SnapshotReader {
    check.checkName('dataset name', name);
    const batchSize = opts.batchSize ?? DEFAULT_SNAPSHOT_BATCH;
    check.checkSeq('batchSize', batchSize, 1);
    return this.ops.read('read snapshot', name, () =>
      readSnapshot(this.env, this.tables, name, batchSize, (release) => this.ops.trackReader(release)),
    );
  }

  /** Starts building a replacement for replica `name` at (epoch, seq); see SnapshotBuilder. */
  beginSnapshot(name: string, owner: string, epoch: string, seq: number): SnapshotBuilder {
    this.ops.assertOpen('begin snapshot');
    return new SnapshotBuilder(this.host, name, { owner, epoch, seq });
  }

  // ---- compaction

  /** Applies the compaction policy to one dataset or all; returns changes removed. */
  compact(name?: string): Promise<number> {
    return this.ops.run('compact', name, () => {
      if (name !== undefined && !this.dataset(name)) throw new NotFoundError(`dataset ${name} does not exist`);
      const names = name !== undefined ? [name] : this.datasets().map((d) => d.name);
      return compactDatasets(this.env, this.tables, names, this.policy, this.clock, () => this.meta.refresh(names)).finally(() => this.meta.drop());
    });
  }

  /** Compacts every dataset each intervalMs until close(). */
  startCompaction(intervalMs: number): void {
    check.checkSeq('intervalMs', intervalMs, 1);
    this.ops.assertOpen('start compaction');
    this.compaction.start(intervalMs);
  }

  // ---- node state (local, never replicated): node-state.ts

  /** The value as stored: callers must not change it (it is shared with later reads). */
  getState(key: string): unknown {
    return this.state.get(key);
  }

  /** Durable like a write; putting undefined removes the key. */
  putState(key: string, value: unknown): Promise<void> {
    return this.state.put(key, value);
  }

  /**
   * A consistent, compacted copy of the whole store (every dataset, the node
   * state, the indexes) into the existing empty directory `dir`, taken while
   * the store serves: a store opened on `dir` is the store as of one moment.
   * Refused for a core group member (its shared datasets live in etcd).
   */
  copyTo(dir: string): Promise<void> {
    if (this.sequencer) return Promise.reject(new FailedPreconditionError(`store ${this.dir} belongs to a member of a core group: its shared datasets live in etcd; back up etcd instead (\`etcdctl snapshot save FILE\`)`));
    return this.ops.run('copy', undefined, () => this.env.copy(dir).catch((err: unknown) => {
      throw storeFailure('copy', this.dir, err);
    }));
  }

  /**
   * A read-only store (StoreOptions.readOnly): the owning process changed
   * these datasets (undefined: any) — read their info again, and tell the
   * listeners, as a commit here would.
   */
  changed(names?: readonly string[]): void {
    this.env.resetReads(); // lmdb-js keeps one read snapshot for a while: read what the owner committed
    this.state.forget();
    if (names) {
      this.meta.refresh(names);
      this.listeners.notify(names);
      return;
    }
    // Every name before and after: a dataset removed must be heard of too.
    const before = this.meta.names();
    this.meta.drop();
    this.listeners.notify([...new Set([...before, ...this.meta.names()])]);
  }

  /** Stops background work, waits for pending operations, closes LMDB. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.compaction.stop();
    await Promise.all([this.sweeper.stop(), this.ops.close()]);
    await this.env.close();
  }
}
