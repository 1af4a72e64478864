// The one file that imports 'lmdb' (lmdb-js). It opens the node's single LMDB
// environment with its sub-databases and exposes the few operations the store
// needs: reads (optionally pinned to a read snapshot), batched durable write
// transactions, and close. It knows nothing about datasets, changes or seqs.

import { open, type Database, type RootDatabase, type Transaction } from 'lmdb';

/** Keys as the store uses them: strings, numbers, or arrays of those (ordered element by element). */
export type TableKey = string | number | Array<string | number>;

/** A pinned read snapshot; reads passed it see the database as of its start. */
export interface ReadSnapshot {
  readonly txn: Transaction;
  /**
   * Released before this event turn ends (LmdbEnv.read, pin(true)): while lmdb's shared read
   * transaction is still this one, ranges may then use lmdb's reused cursor instead of opening one.
   */
  readonly withinTurn?: boolean;
}

export interface PinnedSnapshot extends ReadSnapshot {
  readonly released: boolean;
  /** Idempotent. */
  release(): void;
}

export interface RangeQuery<K extends TableKey> {
  start?: K;
  /** Skip the start key itself (for resuming after the last key seen). */
  exclusiveStart?: boolean;
  /** Exclusive. */
  end?: K;
  limit?: number;
  snapshot?: ReadSnapshot;
}

/** One sub-database. put/remove are only valid inside LmdbEnv.write(). */
export interface Table<K extends TableKey, V> {
  get(key: K, snapshot?: ReadSnapshot): V | undefined;
  has(key: K): boolean;
  put(key: K, value: V): void;
  remove(key: K): void;
  range(query: RangeQuery<K>): Iterable<{ key: K; value: V }>;
  keys(query: RangeQuery<K>): Iterable<K>;
}

export type TableName = 'meta' | 'records' | 'log' | 'state' | 'internal' | 'index';
const TABLE_NAMES: readonly TableName[] = ['meta', 'records', 'log', 'state', 'internal', 'index'];

export interface WriteOptions {
  /** false: resolve once committed, without waiting for the disk (a replica's apply). Default true. */
  durable?: boolean;
  /** Hears how long each took (ms): the commit, and the wait for the disk after it. */
  timed?: (commitMs: number, durableMs: number) => void;
  /**
   * Called as soon as the commit is visible to readers (or failed), before the wait for the disk:
   * caches of what was written must be refreshed then, not later, or readers of the environment
   * see newer data than the cache says for as long as the fsync takes.
   */
  visible?: () => void;
}

export interface LmdbEnv {
  readonly dir: string;
  table<K extends TableKey, V>(name: TableName): Table<K, V>;
  /**
   * Runs fn synchronously inside the next batched write transaction, as a child
   * transaction (lmdb's writer thread commits it): if fn throws, only fn's writes
   * are rolled back. Calls made in the same event turn share one LMDB transaction.
   * Writes commit in the order they were asked for. Resolves with fn's result
   * once that transaction is committed (visible, and safe from a process crash)
   * and, unless `durable` is false, synced to disk (safe from power loss).
   */
  write<T>(fn: () => T, options?: WriteOptions): Promise<T>;
  /** Runs fn with a pinned read snapshot, released when fn returns. */
  read<T>(fn: (snapshot: ReadSnapshot) => T): T;
  /** A pinned read snapshot the caller must release(); `withinTurn`: it will be before this event turn ends. */
  pin(withinTurn?: boolean): PinnedSnapshot;
  /** A consistent copy of the whole environment into the existing, empty directory `dir` (compacted), while serving. */
  copy(dir: string): Promise<void>;
  /** Reads from now on see what other processes committed (the shared read snapshot is renewed). */
  resetReads(): void;
  close(): Promise<void>;
}

/** `monotonicNs`: for timing writes (Clock.monotonicNs; without it every write times as 0). */
export function openLmdbEnv(dir: string, monotonicNs: () => bigint = () => 0n, readOnly = false): LmdbEnv {
  // overlappingSync: a commit resolves when visible, and its fsync overlaps
  // the next transaction. Writes that must be durable before they are
  // acknowledged (the owner's) then await `flushed`, which resolves once every
  // commit so far — ours included — is on disk. Replica applies do not wait
  // for the disk: what a power loss takes back is fetched again from the
  // parent, and relaying a change down the tree then costs no fsync per hop.
  const root = open({ path: dir, maxDbs: 8, ...(readOnly ? { readOnly: true } : { overlappingSync: true }) });
  const dbs = new Map<TableName, Database>();
  for (const name of TABLE_NAMES) dbs.set(name, root.openDB({ name }));
  return new LmdbEnvImpl(dir, root, dbs, monotonicNs);
}

class LmdbEnvImpl implements LmdbEnv {
  private readonly tables = new Map<TableName, Table<TableKey, unknown>>();
  /** Inside a write transaction's callback (lmdb reads without a transaction then read the write's). */
  private writing = 0;

  constructor(
    readonly dir: string,
    private readonly root: RootDatabase,
    dbs: Map<TableName, Database>,
    private readonly monotonicNs: () => bigint,
  ) {
    for (const [name, db] of dbs) this.tables.set(name, wrapTable(db, (snapshot) => this.sharedCursorFits(snapshot)));
  }

  table<K extends TableKey, V>(name: TableName): Table<K, V> {
    return this.tables.get(name) as unknown as Table<K, V>;
  }

  async write<T>(fn: () => T, options: WriteOptions = {}): Promise<T> {
    // Always through lmdb's writer thread. Under overlappingSync lmdb syncs every commit in the thread
    // that made it: a transactionSync here would hold this thread up for an fsync (0.1–3 ms under load)
    // — for a replica's apply, one nobody waits for; for owner writes, one at a time (64 writes in
    // flight went from ~950 to ~500/s when the first of each event turn committed here).
    const { durable = true, timed, visible } = options;
    const startNs = timed && this.monotonicNs();
    const result = await this.root.childTransaction(() => {
      this.writing++;
      try {
        return fn();
      } finally {
        this.writing--;
      }
    }).finally(visible);
    const committedNs = timed && this.monotonicNs();
    if (durable) await this.root.flushed;
    if (timed) timed(Number(committedNs! - startNs!) / 1e6, Number(this.monotonicNs() - committedNs!) / 1e6);
    return result;
  }

  read<T>(fn: (snapshot: ReadSnapshot) => T): T {
    const pinned = this.pin(true);
    try {
      return fn(pinned);
    } finally {
      pinned.release();
    }
  }

  pin(withinTurn = false): PinnedSnapshot {
    const txn = this.root.useReadTransaction();
    let released = false;
    return {
      txn,
      withinTurn,
      get released() {
        return released;
      },
      release: () => {
        if (released) return;
        released = true;
        txn.done();
      },
    };
  }

  copy(dir: string): Promise<void> {
    return this.root.backup(dir, true);
  }

  /**
   * A range on `snapshot` may leave the transaction to lmdb, which then reuses the database's
   * cursor (an exact-term index lookup: ~6 → ~3.7 µs; with a transaction given, lmdb opens a
   * cursor per range): only while lmdb's shared read transaction is still the snapshot's — lmdb
   * marks it notCurrent when it moves on while pinned — and outside a write's callback.
   */
  private sharedCursorFits(snapshot: ReadSnapshot): boolean {
    return snapshot.withinTurn === true && this.writing === 0 && !(snapshot.txn as Transaction & { notCurrent?: boolean }).notCurrent;
  }

  resetReads(): void {
    this.root.resetReadTxn();
  }

  close(): Promise<void> {
    return this.root.close();
  }
}

function wrapTable<K extends TableKey, V>(db: Database, sharedCursorFits: (snapshot: ReadSnapshot) => boolean): Table<K, V> {
  const rangeOptions = (query: RangeQuery<K>) => ({
    start: query.start,
    exclusiveStart: query.exclusiveStart,
    end: query.end,
    limit: query.limit,
    transaction: query.snapshot && !sharedCursorFits(query.snapshot) ? query.snapshot.txn : undefined,
  });
  return {
    get: (key, snapshot) => db.get(key, snapshot ? { transaction: snapshot.txn } : undefined) as V | undefined,
    has: (key) => db.doesExist(key),
    put: (key, value) => void db.put(key, value),
    remove: (key) => void db.remove(key),
    range: (query) => db.getRange(rangeOptions(query)) as Iterable<{ key: K; value: V }>,
    keys: (query) => db.getKeys(rangeOptions(query)) as Iterable<K>,
  };
}
