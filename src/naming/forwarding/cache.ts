// The answer cache of a node for names it does not hold: positive and
// negative (RFC 2308: negative TTL from the SOA in authority), TTL-bounded,
// size-bounded (LRU), and able to hand out an expired positive answer for
// serve-stale (RFC 8767) up to a maximum stale age. Negative answers are
// never served stale. Time comes from the Clock; nothing here does I/O.

import type { Clock } from '../../kernel/clock';
import type { Rr } from '../zones/records';
import { BoundedMap } from '../../kernel/bounded-map';

export interface CacheOptions {
  maxEntries: number;
  maxTtlS: number;
  /** How long after expiry an answer may still be served stale. */
  maxStaleS: number;
}

export interface CachedAnswer {
  rcode: number;
  answers: Rr[];
  authorities: Rr[];
}

interface Entry extends CachedAnswer {
  storedMs: number;
  ttlS: number;
  negative: boolean;
}

export type Lookup =
  | { kind: 'fresh'; answer: CachedAnswer }
  | { kind: 'stale'; answer: CachedAnswer; staleForMs: number }
  | { kind: 'miss' };

export class DnsCache {
  private readonly entries: BoundedMap<string, Entry>;

  constructor(private readonly options: CacheOptions, private readonly clock: Clock) {
    this.entries = new BoundedMap(options.maxEntries);
  }

  static key(name: string, type: number): string {
    return `${name}|${type}`;
  }

  get size(): number {
    return this.entries.size;
  }

  lookup(key: string): Lookup {
    const entry = this.entries.get(key);
    if (!entry) return { kind: 'miss' };
    const ageMs = this.clock.nowMs() - entry.storedMs;
    const expiredForMs = ageMs - entry.ttlS * 1000;
    if (expiredForMs < 0) {
      this.touch(key, entry);
      return { kind: 'fresh', answer: aged(entry, Math.floor(ageMs / 1000)) };
    }
    if (entry.negative || expiredForMs > this.options.maxStaleS * 1000) {
      if (expiredForMs > this.options.maxStaleS * 1000 || entry.negative) this.entries.delete(key);
      return { kind: 'miss' };
    }
    return { kind: 'stale', answer: { rcode: entry.rcode, answers: entry.answers, authorities: entry.authorities }, staleForMs: expiredForMs };
  }

  /** Store an upstream answer; TTL = smallest TTL in it (negative: SOA TTL/minimum), capped. */
  store(key: string, answer: CachedAnswer): void {
    const negative = answer.rcode === 3 || (answer.rcode === 0 && answer.answers.length === 0);
    if (answer.rcode !== 0 && answer.rcode !== 3) return;
    const ttlS = Math.min(this.options.maxTtlS, negative ? negativeTtl(answer) : Math.min(...answer.answers.map((r) => r.ttl)));
    if (!(ttlS > 0)) return;
    this.entries.delete(key);
    this.entries.set(key, { ...answer, storedMs: this.clock.nowMs(), ttlS, negative });
  }

  clear(): void {
    this.entries.clear();
  }

  private touch(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
  }
}

function negativeTtl(answer: CachedAnswer): number {
  const soa = answer.authorities.find((r) => r.type === 'SOA');
  if (!soa) return 0;
  const minimum = (soa.data as { minimum: number }).minimum;
  return Math.min(soa.ttl, minimum);
}

function aged(entry: Entry, ageS: number): CachedAnswer {
  const dec = (r: Rr): Rr => ({ ...r, ttl: Math.max(0, r.ttl - ageS) });
  return { rcode: entry.rcode, answers: entry.answers.map(dec), authorities: entry.authorities.map(dec) };
}
