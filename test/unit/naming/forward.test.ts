import assert from 'node:assert/strict';
import { FakeClock } from '../../../src/kernel/clock';
import { DnsCache } from '../../../src/naming/forwarding/cache';
import type { DecodedResponse } from '../../../src/naming/server/dns2-adapter';
import { ForwardHandler } from '../../../src/naming/forwarding/forward';
import type { NamingPorts } from '../../../src/naming/ports';
import type { Upstream } from '../../../src/naming/forwarding/upstream';

const ports: NamingPorts = {
  nodeName: 'paris', isCore: false, federationDomain: () => 'edge.example', ownZone: () => 'paris.eu.edge.example',
  parentDns: () => [{ host: '127.0.0.1', port: 53 }], depthBelow: () => undefined,
};
const Q = { name: 'printer.nyc.us.edge.example', type: 1 };
const ALLOWED = { rd: true, recursionAllowed: true };
const reply = (address: string, ttl = 10): DecodedResponse => ({ rcode: 0, tc: false, aa: true, answers: [{ name: Q.name, type: 'A', ttl, data: { address } }], authorities: [] });

/** An upstream whose answers the test releases by hand, on the fake clock. */
class ScriptedUpstream {
  calls = 0;
  next: (() => Promise<DecodedResponse>) | undefined;
  query(): Promise<DecodedResponse> {
    this.calls++;
    return this.next ? this.next() : Promise.reject(new Error('unreachable'));
  }
}

describe('forwarding with cache and serve-stale (fake clock)', () => {
  let clock: FakeClock;
  let upstream: ScriptedUpstream;
  let handler: ForwardHandler;

  beforeEach(() => {
    clock = new FakeClock();
    upstream = new ScriptedUpstream();
    handler = new ForwardHandler(new DnsCache({ maxEntries: 100, maxTtlS: 3600, maxStaleS: 600 }, clock), upstream as unknown as Upstream, ports, { clientTimeoutMs: 1800, staleTtlS: 30, serverTimeoutMs: 1500, upstreams: [] }, clock);
  });

  it('asks upstream once, then answers from the cache until the TTL', async () => {
    upstream.next = async () => reply('192.0.2.1');
    assert.equal((await handler.resolve(Q, ALLOWED))!.answers[0]!.ttl, 10);
    clock.advance(4000);
    assert.equal((await handler.resolve(Q, ALLOWED))!.answers[0]!.ttl, 6);
    assert.equal(upstream.calls, 1);
  });

  it('prefers a fresh answer from a working source over the stale one', async () => {
    upstream.next = async () => reply('192.0.2.1');
    await handler.resolve(Q, ALLOWED);
    clock.advance(11_000);
    upstream.next = async () => reply('192.0.2.2');
    const answer = (await handler.resolve(Q, ALLOWED))!;
    assert.equal((answer.answers[0]!.data as { address: string }).address, '192.0.2.2');
    assert.equal(answer.ede, undefined);
  });

  it('serves stale with EDE 3 and the stale TTL when the source misses the client-response timer', async () => {
    upstream.next = async () => reply('192.0.2.1');
    await handler.resolve(Q, ALLOWED);
    clock.advance(11_000);
    upstream.next = () => new Promise((resolve) => clock.setTimeout(() => resolve(reply('192.0.2.9')), 5000));
    const pending = handler.resolve(Q, ALLOWED);
    await clock.tick(1800);
    const answer = (await pending)!;
    assert.deepEqual([answer.ede?.code, answer.answers[0]!.ttl, (answer.answers[0]!.data as { address: string }).address], [3, 30, '192.0.2.1']);
    await clock.tick(5000);
    assert.equal(((await handler.resolve(Q, ALLOWED))!.answers[0]!.data as { address: string }).address, '192.0.2.9', 'the refresh landed in the cache');
  });

  it('fails with SERVFAIL and EDE 22 when nothing answers and nothing is cached; refuses clients without recursion', async () => {
    const failed = (await handler.resolve(Q, ALLOWED))!;
    assert.deepEqual([failed.rcode, failed.ede?.code], [2, 22]);
    const refused = (await handler.resolve(Q, { rd: true, recursionAllowed: false }))!;
    assert.deepEqual([refused.rcode, refused.ede?.code], [5, 18]);
  });
});
