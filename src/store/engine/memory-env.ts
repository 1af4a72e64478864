// The store's tables in memory, behind the same LmdbEnv interface as lmdb:
// for the scale simulation, where thousands of nodes share one process and
// an lmdb environment each would need three file descriptors (issue 13).
// Keys are ordered as lmdb orders them (element by element; numbers before
// strings; a shorter array before the longer ones it starts); values are
// copied in and out, as lmdb's are. Writes run after the current turn, a
// throwing one rolled back whole. Not durable, and a pinned snapshot sees
// later writes (no multi-version reads): a snapshot streamed while its
// dataset changes may include some of the changes that follow it, which
// replicas then apply again (puts and deletes repeat harmlessly).

import type { LmdbEnv, PinnedSnapshot, RangeQuery, ReadSnapshot, Table, TableKey, TableName, WriteOptions } from './lmdb-env';

const NUMBER = '\u0001';
const STRING = '\u0002';
const END = '\u0000';

/** A string that sorts as lmdb sorts the key (non-negative integers and strings without control characters, as the store uses). */
function encodeKey(key: TableKey): string {
  const parts = Array.isArray(key) ? key : [key];
  return parts.map((p) => (typeof p === 'number' ? `${NUMBER}${Math.max(0, Math.floor(p)).toString(16).padStart(14, '0')}` : `${STRING}${p}${END}`)).join('');
}

class MemoryTable<K extends TableKey, V> implements Table<K, V> {
  /** Encoded keys in order. */
  private readonly order: string[] = [];
  private readonly rows = new Map<string, { key: K; value: V }>();

  constructor(private readonly env: MemoryEnv) {}

  get(key: K): V | undefined {
    const row = this.rows.get(encodeKey(key));
    return row === undefined ? undefined : structuredClone(row.value);
  }

  has(key: K): boolean {
    return this.rows.has(encodeKey(key));
  }

  put(key: K, value: V): void {
    const encoded = encodeKey(key);
    const before = this.rows.get(encoded);
    this.env.undo(() => (before ? this.rows.set(encoded, before) : this.delete(encoded)));
    if (!before) this.order.splice(this.indexOf(encoded), 0, encoded);
    this.rows.set(encoded, { key: structuredClone(key), value: structuredClone(value) });
  }

  remove(key: K): void {
    const encoded = encodeKey(key);
    const before = this.rows.get(encoded);
    if (!before) return;
    this.env.undo(() => {
      this.order.splice(this.indexOf(encoded), 0, encoded);
      this.rows.set(encoded, before);
    });
    this.delete(encoded);
  }

  *range(query: RangeQuery<K>): Iterable<{ key: K; value: V }> {
    for (const encoded of this.encodedRange(query)) {
      const row = this.rows.get(encoded)!;
      yield { key: structuredClone(row.key), value: structuredClone(row.value) };
    }
  }

  *keys(query: RangeQuery<K>): Iterable<K> {
    for (const encoded of this.encodedRange(query)) yield structuredClone(this.rows.get(encoded)!.key);
  }

  /** Keys in range, found again after each step: a caller may write between steps (as it may with lmdb's snapshots). */
  private *encodedRange(query: RangeQuery<K>): Iterable<string> {
    const start = query.start === undefined ? undefined : encodeKey(query.start);
    const end = query.end === undefined ? undefined : encodeKey(query.end);
    let i = start === undefined ? 0 : this.indexOf(start);
    if (start !== undefined && query.exclusiveStart && this.order[i] === start) i++;
    for (let n = 0; i < this.order.length && (query.limit === undefined || n < query.limit); n++) {
      const encoded = this.order[i]!;
      if (end !== undefined && encoded >= end) return;
      yield encoded;
      i = this.indexOf(encoded);
      if (this.order[i] === encoded) i++;
    }
  }

  /** Where `encoded` is, or would go, in the order. */
  private indexOf(encoded: string): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.order[mid]! < encoded) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private delete(encoded: string): void {
    this.rows.delete(encoded);
    const i = this.indexOf(encoded);
    if (this.order[i] === encoded) this.order.splice(i, 1);
  }
}

const NO_TXN = { txn: undefined } as unknown as ReadSnapshot;

export class MemoryEnv implements LmdbEnv {
  private readonly tables = new Map<TableName, MemoryTable<TableKey, unknown>>();
  private undoLog: Array<() => void> | undefined;
  private closed = false;

  constructor(readonly dir: string) {}

  table<K extends TableKey, V>(name: TableName): Table<K, V> {
    let table = this.tables.get(name);
    if (!table) this.tables.set(name, (table = new MemoryTable(this)));
    return table as unknown as Table<K, V>;
  }

  undo(step: () => void): void {
    this.undoLog?.push(step);
  }

  async write<T>(fn: () => T, { timed, visible }: WriteOptions = {}): Promise<T> {
    await Promise.resolve();
    if (this.closed) throw new Error(`store ${this.dir} is closed`);
    this.undoLog = [];
    try {
      const result = fn();
      timed?.(0, 0);
      return result;
    } catch (err) {
      for (const step of this.undoLog.reverse()) step();
      throw err;
    } finally {
      this.undoLog = undefined;
      visible?.(); // readers see it at once: so must the caller's caches
    }
  }

  read<T>(fn: (snapshot: ReadSnapshot) => T): T {
    return fn(NO_TXN);
  }

  pin(): PinnedSnapshot {
    let released = false;
    return {
      txn: undefined as unknown as PinnedSnapshot['txn'],
      get released() {
        return released;
      },
      release: () => {
        released = true;
      },
    };
  }

  resetReads(): void {
    // One process: every read sees every write already.
  }

  copy(): Promise<void> {
    return Promise.reject(new Error(`store ${this.dir} is in memory (engine 'memory'): there is nothing on disk to copy`));
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
