// Failed-bind throttling (DESIGN §5), per entry and per client address, as
// local state (never replicated): after `limit` failures inside the window,
// binds for that key are refused until a delay passes; each further failure
// doubles the delay up to a cap. A success clears the entry's count (not the
// address's, so one good password does not unlock guessing at others).

import type { Clock } from '../../kernel/clock';
import { BoundedMap } from '../../kernel/bounded-map';

export interface ThrottleSettings {
  perEntry: number;
  perAddress: number;
  windowMs: number;
  lockMs: number;
  maxLockMs: number;
}

export const DEFAULT_THROTTLE: ThrottleSettings = { perEntry: 5, perAddress: 20, windowMs: 5 * 60_000, lockMs: 30_000, maxLockMs: 15 * 60_000 };

interface Record {
  failures: number;
  firstMs: number;
  lockedUntilMs: number;
}

const MAX_KEYS = 100_000;

/** What a bind needs of the throttle (BindThrottle here; a mirror of the node's in an LDAP worker). */
export interface Throttle {
  lockedUntil(entry: string, address: string | undefined): number | undefined;
  /** Counts a failure; resolves once lockedUntil() reflects it (at once here; an LDAP worker waits for the node's word). */
  failed(entry: string, address: string | undefined): void | Promise<void>;
  succeeded(entry: string): void;
}

export class BindThrottle implements Throttle {
  private readonly records = new BoundedMap<string, Record>(MAX_KEYS);

  constructor(private readonly clock: Clock, private readonly settings: ThrottleSettings = DEFAULT_THROTTLE) {}

  /** When binds for this entry or address are refused until (ms), or undefined when allowed. No address: the entry alone. */
  lockedUntil(entry: string, address: string | undefined): number | undefined {
    const now = this.clock.nowMs();
    const until = Math.max(this.records.get(`e:${entry}`)?.lockedUntilMs ?? 0, address === undefined ? 0 : (this.records.get(`a:${address}`)?.lockedUntilMs ?? 0));
    return until > now ? until : undefined;
  }

  /** Until when binds for the entry and from the address are refused (0: not locked), and whether the entry has failures counted. */
  state(entry: string, address: string | undefined): { entryUntil: number; addressUntil: number; entryFailing: boolean } {
    const record = this.records.get(`e:${entry}`);
    return { entryUntil: record?.lockedUntilMs ?? 0, addressUntil: address === undefined ? 0 : (this.records.get(`a:${address}`)?.lockedUntilMs ?? 0), entryFailing: record !== undefined };
  }

  /** Hears every change of an entry's (and an address's) state: LDAP workers mirror it. */
  onChange: ((entry: string, address: string | undefined) => void) | undefined;

  failed(entry: string, address: string | undefined): void {
    this.count(`e:${entry}`, this.settings.perEntry);
    if (address !== undefined) this.count(`a:${address}`, this.settings.perAddress);
    this.onChange?.(entry, address);
  }

  succeeded(entry: string): void {
    if (this.records.delete(`e:${entry}`)) this.onChange?.(entry, undefined);
  }

  /** Entries with failures counted and locked addresses, as they stand (for a worker that starts mirroring now). */
  snapshot(): { entries: string[]; addresses: string[] } {
    const now = this.clock.nowMs();
    const entries: string[] = [];
    const addresses: string[] = [];
    for (const [key, record] of this.records) {
      if (key.startsWith('e:')) entries.push(key.slice(2));
      else if (record.lockedUntilMs > now) addresses.push(key.slice(2));
    }
    return { entries, addresses };
  }

  private count(key: string, limit: number): void {
    const now = this.clock.nowMs();
    let record = this.records.get(key);
    if (!record || (now - record.firstMs > this.settings.windowMs && record.lockedUntilMs <= now)) {
      record = { failures: 0, firstMs: now, lockedUntilMs: 0 };
      this.records.set(key, record);
    }
    record.failures++;
    if (record.failures >= limit) {
      const doublings = Math.min(record.failures - limit, 20);
      record.lockedUntilMs = now + Math.min(this.settings.maxLockMs, this.settings.lockMs * 2 ** doublings);
    }
  }
}
