// One holder per key at a time, the others waiting in arrival order (the
// password checks of one LDAP entry: each must see the failures counted by
// the ones before it).

export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Resolves once the caller holds `key`, with the function that releases it (call it exactly once, in a finally). */
  async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous ? previous.then(() => mine) : mine;
    this.tails.set(key, tail);
    if (previous) await previous;
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }

  /** Keys held or waited for (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
