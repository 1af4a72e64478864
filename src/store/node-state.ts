// The store's node state: a small local table (never replicated) of what a
// node keeps about itself — its federation's base DN, where each replica came
// from, its parents' addresses. Read on every LDAP operation, so values are
// kept as last read or written; only the owning process writes them (a
// read-only store in a worker drops them when told the owner changed them).

import type { Table } from './engine/lmdb-env';
import type { Operations } from './operations';
import * as check from './validation';

export class NodeState {
  private readonly cache = new Map<string, unknown>();

  constructor(
    private readonly table: Table<string, unknown>,
    private readonly ops: Operations,
    /** A durable transaction of the store (its commit, with the meta cache untouched). */
    private readonly commit: (fn: () => void) => Promise<void>,
  ) {}

  /** The value as stored: callers must not change it (it is shared with later reads). */
  get(key: string): unknown {
    if (this.cache.has(key)) return this.cache.get(key);
    check.checkName('state key', key);
    const value = this.ops.read('read node state', undefined, () => this.table.get(key));
    this.cache.set(key, value);
    return value;
  }

  /** Durable like a write; putting undefined removes the key. */
  put(key: string, value: unknown): Promise<void> {
    return this.ops.run('write node state', undefined, async () => {
      check.checkName('state key', key);
      this.cache.delete(key);
      await this.commit(() => (value === undefined ? this.table.remove(key) : this.table.put(key, value)));
      this.cache.delete(key); // read again from the store: a read during the commit may have cached the old value
    });
  }

  /** Another process changed the state: read every value again. */
  forget(): void {
    this.cache.clear();
  }
}
