// A wire-level answer cache in front of the resolver and dns2 (the technique
// of PowerDNS's packet cache): the encoded response for the exact question
// bytes and request flags, reused with the ID rewritten — and, for answers
// from elsewhere (not authoritative), every TTL aged by the time spent in the
// cache, as a resolver's cache counts down. Entries live until their TTL; it is
// emptied whenever held zone or service data changes, so it never serves
// what the store no longer says. Each emptying starts a new generation: an
// answer computed before it (still in flight when the data changed) is not
// stored. Like unbound's prefetch, an entry in the last 10% of its life is
// still served, and the first hit then asks for a refresh, so popular
// answers never expire under load and no burst of misses follows.

import type { Clock } from '../../kernel/clock';
import { ttlOffsets } from './wire';
import { BoundedMap } from '../../kernel/bounded-map';

interface Entry {
  /** What hits are copied from: the response as stored, or for an aged entry its copy aged to `agedS`. */
  response: Buffer;
  storedMs: number;
  /** For aged entries: where each TTL sits and what it was when stored. */
  ttls: Array<{ offset: number; ttl: number }> | undefined;
  /** Whole seconds since storedMs that `response`'s TTLs were last counted down for. */
  agedS: number;
  expiresMs: number;
  refreshAtMs: number;
  refreshing: boolean;
}

export interface Hit {
  /** The cached response with the query's ID. */
  response: Buffer;
  /** True once per entry, when it is due for a refresh: answer the query again (in the background) and set() the result. */
  refresh: boolean;
}

/** Share of an entry's lifetime after which its first hit asks for a refresh (unbound: the last 10% of the TTL). */
const REFRESH_AT = 0.9;

export class PacketCache {
  private readonly entries: BoundedMap<string, Entry>;
  private gen = 0;

  constructor(maxEntries: number, private readonly clock: Clock) {
    this.entries = new BoundedMap(maxEntries);
  }

  /** Changes with every clear(); pass the value read before computing an answer to set(). */
  get generation(): number {
    return this.gen;
  }

  get(key: string, id: number): Hit | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = this.clock.nowMs();
    if (entry.expiresMs <= now) {
      this.entries.delete(key);
      return undefined;
    }
    if (entry.ttls) {
      // TTLs change once a second: age the entry's own copy then, not every hit's.
      const elapsedS = Math.floor((now - entry.storedMs) / 1000);
      if (elapsedS !== entry.agedS) {
        for (const { offset, ttl } of entry.ttls) entry.response.writeUInt32BE(Math.max(0, ttl - elapsedS), offset);
        entry.agedS = elapsedS;
      }
    }
    // A copy per hit: the socket may still hold an earlier one (a send the kernel did not take at
    // once). allocUnsafe: the copy overwrites every byte, and it is cheaper than Buffer.from.
    const response = Buffer.allocUnsafe(entry.response.length);
    entry.response.copy(response);
    // The ID by hand: writeUInt16BE checks its arguments on every call; `id` comes from readQuery.
    response[0] = id >> 8;
    response[1] = id & 0xff;
    const refresh = !entry.refreshing && entry.refreshAtMs <= now;
    if (refresh) entry.refreshing = true;
    return { response, refresh };
  }

  /** Stores unless the cache was cleared since `generation` was read; `age`: count its TTLs down as it is served. */
  set(key: string, response: Buffer, ttlS: number, generation: number, age = false): void {
    if (ttlS <= 0 || generation !== this.gen) return;
    const now = this.clock.nowMs();
    const ttls = age ? ttlOffsets(response).map((offset) => ({ offset, ttl: response.readUInt32BE(offset) })) : undefined;
    this.entries.delete(key);
    this.entries.set(key, { response: Buffer.from(response), storedMs: now, ttls, agedS: 0, expiresMs: now + ttlS * 1000, refreshAtMs: now + ttlS * 1000 * REFRESH_AT, refreshing: false });
  }

  /** Empties the cache and starts generation `generation` (default: the next one). */
  clear(generation = this.gen + 1): void {
    this.entries.clear();
    this.gen = generation;
  }

  get size(): number {
    return this.entries.size;
  }
}
