// A Map that holds at most `max` entries, forgetting the oldest (by
// insertion) to make room. The obvious eviction, `map.delete(map.keys().next().value)`,
// is O(entries deleted so far) in V8: a new iterator walks the holes that
// deletes leave at the front of the table until it is next rehashed —
// measured 13.6 µs per insert at 20,000 entries and 30 µs at 100,000, against
// 0.4 µs for a plain set. This map keeps one iterator alive instead: every
// key it has returned was evicted, so it always stands just before the
// oldest live entry (Map iteration skips deleted entries and visits ones
// added since, whatever the table did meanwhile), and evicting is O(1).

export class BoundedMap<K, V> extends Map<K, V> {
  private oldest: IterableIterator<K> | undefined;

  /** With `max` ≤ 0 it holds nothing. */
  constructor(readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.max <= 0) return this;
    if (this.size >= this.max && !this.has(key)) this.evictOldest();
    return super.set(key, value);
  }

  private evictOldest(): void {
    this.oldest ??= this.keys();
    let next = this.oldest.next();
    if (next.done) {
      // Cannot happen while size ≥ max ≥ 1 (a live entry is always ahead of it); kept as a guard.
      this.oldest = this.keys();
      next = this.oldest.next();
    }
    if (!next.done) this.delete(next.value);
  }
}
