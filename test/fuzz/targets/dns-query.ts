// DNS queries as a node's listeners get them: QueryHandler.cached() (the
// packet cache's fast path) and then handle(), which checks the wire
// (wire.readQuery), answers from the resolver and encodes the reply with
// dns2 — with a stub resolver that echoes the question's name back in
// records, so whatever name got through the checks also goes through the
// encoder. Documented results: FORMERR/NOTIMP answers and dropped messages
// ('rejected'). handle() is meant never to throw.

import { FakeClock } from '../../../src/kernel/clock';
import { Metrics } from '../../../src/kernel/metrics';
import { FastPath, addressMatcher } from '../../../src/naming/server/fast-path';
import { PacketCache } from '../../../src/naming/server/packet-cache';
import { QueryHandler } from '../../../src/naming/server/query-handler';
import type { Rr } from '../../../src/naming/zones/records';
import { answer, Resolver, type Handler } from '../../../src/naming/forwarding/resolver';
import { readQuery } from '../../../src/naming/server/wire';
import type { Outcome, Target } from '../target';
import { dnsLengthFields, dnsQueries } from './dns-seeds';

const echo: Handler = {
  name: 'authoritative',
  resolve(question) {
    const name = question.name;
    const records: Rr[] = [
      { name, type: 'A', ttl: 60, data: { address: '192.0.2.1' } },
      { name, type: 'CNAME', ttl: 60, data: { domain: `alias.${name}` } },
      { name, type: 'MX', ttl: 60, data: { exchange: name, priority: 1 } },
    ];
    if (question.type === 3) throw new Error('resolver failure (becomes SERVFAIL)');
    return answer({ rcode: name.length % 3 === 0 ? 3 : 0, aa: name.length % 2 === 0, answers: records, authorities: [{ name, type: 'NS', ttl: 60, data: { ns: `ns.${name}` } }] });
  },
};

const pass: Handler = { name: 'pass', resolve: () => undefined };

function makeHandler(): QueryHandler {
  const metrics = new Metrics({}, false);
  const resolver = new Resolver({ services: pass, authoritative: echo, forward: pass });
  const fast = new FastPath(new PacketCache(1000, new FakeClock()), addressMatcher(['127.0.0.0/8']));
  return new QueryHandler(resolver, fast, {
    queries: metrics.counter('q', 'q', ['transport', 'rcode', 'cache']),
    malformed: metrics.counter('m', 'm', ['transport']),
  }, { axfr: (name) => (name.length % 2 === 0 ? [[{ name, type: 'A', ttl: 1, data: { address: '192.0.2.2' } }]] : undefined) });
}

export function dnsQueryTarget(): Target {
  const handler = makeHandler();
  return {
    name: 'dns-query',
    entry: 'QueryHandler.cached/handle (wire.readQuery, dns2 encodeResponse)',
    seeds: dnsQueries,
    lengthFields: dnsLengthFields,
    maxBytes: 65535,
    async run(input: Buffer): Promise<Outcome> {
      const transport = input.length % 2 === 0 ? 'udp' : 'tcp';
      const client = input.length % 3 === 0 ? '192.0.2.99' : '127.0.0.1';
      if (!handler.cached(input, client, transport)) await handler.handle(input, client, transport);
      return readQuery(input).kind === 'query' ? 'accepted' : 'rejected';
    },
  };
}
