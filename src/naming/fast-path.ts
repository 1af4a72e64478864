// The hot path, shared by the node process and the DNS worker processes: a
// query's packet-cache key (the question as sent, the flags and EDNS
// parameters that shape the answer, whether the client may recurse) and the
// lookup itself. Synchronous: no dns2, no promises, no label hashing.

import net from 'node:net';
import { PacketCache, type Hit } from './packet-cache';
import { readQuery, type Query } from './wire';

export type Transport = 'udp' | 'tcp';

export class FastPath {
  private readonly allowedCache = new Map<string, boolean>();

  constructor(readonly packetCache: PacketCache, private readonly recursionAllowed: (address: string) => boolean) {}

  /** The cached response to `message` with its ID, or undefined (then the full handler answers). */
  lookup(message: Buffer, client: string, transport: Transport): Hit | undefined {
    return this.probe(message, client, transport)?.hit;
  }

  /** lookup(), also giving the key and ID; undefined when `message` is not a well-formed query. */
  probe(message: Buffer, client: string, transport: Transport): { key: string; id: number; hit: Hit | undefined } | undefined {
    const read = readQuery(message, false);
    if (read.kind !== 'query') return undefined;
    const key = this.key(message, read.query, client, transport);
    return { key, id: read.query.id, hit: this.packetCache.get(key, read.query.id) };
  }

  key(message: Buffer, query: Query, client: string, transport: Transport): string {
    const edns = query.edns ? `${query.edns.payload}/${query.edns.version}/${query.edns.dnssecOk ? 1 : 0}` : '-';
    return PacketCache.key(message, query.questionEnd, query.rd, `${edns}|${this.allowed(client) ? 'r' : '-'}`, transport);
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
