// The hot path, shared by the node process and the DNS worker processes: a
// query's packet-cache key (the question as sent, the flags and EDNS
// parameters that shape the answer, whether the client may recurse) and the
// lookup itself. Synchronous: no dns2, no promises, no label hashing.

import net from 'node:net';
import type { Hit, PacketCache } from './packet-cache';
import { HEADER_OCTETS, readQuery, type Query } from './wire';

export type Transport = 'udp' | 'tcp';

/**
 * Room for a key: a question as sent is at most 260 bytes (readQuery allows 255 name octets, at most
 * 256 bytes in the message when it ends in a compression pointer, then type and class), plus the suffix.
 */
const keyScratch = Buffer.alloc(512);

export class FastPath {
  private readonly allowedCache = new Map<string, boolean>();

  constructor(readonly packetCache: PacketCache, private readonly recursionAllowed: (address: string) => boolean) {}

  /** The cached response to `message` with its ID, or undefined (then the full handler answers). */
  lookup(message: Buffer, client: string, transport: Transport): Hit | undefined {
    return this.probe(message, client, transport)?.hit;
  }

  /** The cache's generation now: an answer computed from here on is cached under it (a data change bumps it). */
  get generation(): number {
    return this.packetCache.generation;
  }

  /** Caches a computed answer (see PacketCache.set). */
  store(key: string, response: Buffer, ttlS: number, generation: number, age: boolean): void {
    this.packetCache.set(key, response, ttlS, generation, age);
  }

  /** lookup(), also giving the key and ID; undefined when `message` is not a well-formed query. */
  probe(message: Buffer, client: string, transport: Transport): { key: string; id: number; hit: Hit | undefined } | undefined {
    const read = readQuery(message, false);
    if (read.kind !== 'query') return undefined;
    const key = this.key(message, read.query, client, transport);
    return { key, id: read.query.id, hit: this.packetCache.get(key, read.query.id) };
  }

  /**
   * The packet-cache key: the question section as sent (case and all), then a fixed-size suffix of
   * what shapes the answer — a flags byte (RD, EDNS present, DO, recursion allowed, TCP), the EDNS
   * version and the EDNS payload size. Fixed size, so no two queries that differ share a key.
   */
  key(message: Buffer, query: Query, client: string, transport: Transport): string {
    const { questionEnd, edns } = query;
    // Written byte by byte into a scratch buffer and decoded once (latin1: one char a byte): a flat
    // string, which Map hashes faster than one concatenated from parts, and no template strings.
    let n = 0;
    for (let i = HEADER_OCTETS; i < questionEnd; i++) keyScratch[n++] = message[i]!;
    keyScratch[n++] = (query.rd ? 1 : 0) | (edns ? 2 : 0) | (edns?.dnssecOk ? 4 : 0) | (this.allowed(client) ? 8 : 0) | (transport === 'tcp' ? 16 : 0);
    keyScratch[n++] = edns?.version ?? 0;
    keyScratch[n++] = (edns?.payload ?? 0) >> 8;
    keyScratch[n++] = (edns?.payload ?? 0) & 0xff;
    return keyScratch.toString('latin1', 0, n);
  }

  /** recursionAllowed, memoised per client address (bounded). */
  allowed(client: string): boolean {
    let allowed = this.allowedCache.get(client);
    if (allowed === undefined) {
      if (this.allowedCache.size > 10_000) this.allowedCache.clear();
      allowed = this.recursionAllowed(client);
      this.allowedCache.set(client, allowed);
    }
    return allowed;
  }
}

/** Whether an address (IPv4, IPv6 or IPv4-mapped IPv6) falls in one of `cidrs`. */
export function addressMatcher(cidrs: readonly string[]): (address: string) => boolean {
  const list = new net.BlockList();
  for (const cidr of cidrs) {
    const [address, bits] = cidr.split('/');
    const family = net.isIPv6(address!) ? 'ipv6' : 'ipv4';
    list.addSubnet(address!, Number(bits ?? (family === 'ipv6' ? 128 : 32)), family);
  }
  return (address) => {
    const plain = address.replace(/^::ffff:(?=\d+\.)/, '');
    return list.check(plain, net.isIPv6(plain) ? 'ipv6' : 'ipv4');
  };
}
