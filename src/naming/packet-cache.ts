// A wire-level answer cache in front of the resolver and dns2 (the technique
// of PowerDNS's packet cache): the encoded response for the exact question
// bytes and request flags, reused with only the ID rewritten. Authoritative
// answers stay until their TTL, forwarded ones at most a second; it is
// emptied whenever held zone or service data changes, so it never serves
// what the store no longer says.

import type { Clock } from '../kernel/clock';

interface Entry {
  response: Buffer;
  expiresMs: number;
}

export class PacketCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries: number, private readonly clock: Clock) {}

  /** Key: the question section as sent (case and all) plus what shapes the answer. */
  static key(query: Buffer, questionEnd: number, rd: boolean, edns: string, transport: 'udp' | 'tcp'): string {
    return `${query.toString('latin1', 12, questionEnd)}|${rd ? 1 : 0}|${edns}|${transport}`;
  }

  get(key: string, id: number): Buffer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresMs <= this.clock.nowMs()) {
      this.entries.delete(key);
      return undefined;
    }
    const out = Buffer.from(entry.response);
    out.writeUInt16BE(id, 0);
    return out;
  }

  set(key: string, response: Buffer, ttlS: number): void {
    if (ttlS <= 0) return;
    this.entries.set(key, { response: Buffer.from(response), expiresMs: this.clock.nowMs() + ttlS * 1000 });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
