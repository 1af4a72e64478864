import assert from 'node:assert/strict';
import { FakeClock } from '../../../src/kernel/clock';
import { DnsCache } from '../../../src/naming/forwarding/cache';
import type { Rr } from '../../../src/naming/zones/records';

const a = (ttl: number): Rr => ({ name: 'x.example', type: 'A', ttl, data: { address: '192.0.2.1' } });
const soa = (ttl: number, minimum: number): Rr => ({ name: 'example', type: 'SOA', ttl, data: { primary: 'ns.example', admin: 'h.example', serial: 1, refresh: 1, retry: 1, expiration: 1, minimum } });

describe('DnsCache (fake clock)', () => {
  let clock: FakeClock;
  let cache: DnsCache;
  beforeEach(() => {
    clock = new FakeClock();
    cache = new DnsCache({ maxEntries: 3, maxTtlS: 3600, maxStaleS: 60 }, clock);
  });

  it('serves a positive answer until its smallest TTL, with TTLs counting down', () => {
    cache.store('k', { rcode: 0, answers: [a(30), { ...a(10), name: 'y.example' }], authorities: [] });
    clock.advance(4000);
    const hit = cache.lookup('k');
    assert.equal(hit.kind, 'fresh');
    if (hit.kind === 'fresh') assert.deepEqual(hit.answer.answers.map((r) => r.ttl), [26, 6]);
    clock.advance(6000);
    assert.equal(cache.lookup('k').kind, 'stale');
  });

  it('caches NXDOMAIN and NODATA for min(SOA TTL, SOA minimum), and never serves them stale', () => {
    cache.store('nx', { rcode: 3, answers: [], authorities: [soa(300, 20)] });
    cache.store('nodata', { rcode: 0, answers: [], authorities: [soa(15, 300)] });
    clock.advance(14_000);
    assert.equal(cache.lookup('nx').kind, 'fresh');
    assert.equal(cache.lookup('nodata').kind, 'fresh');
    clock.advance(7000);
    assert.equal(cache.lookup('nx').kind, 'miss');
    assert.equal(cache.lookup('nodata').kind, 'miss');
  });

  it('offers an expired positive answer as stale only up to the max stale age', () => {
    cache.store('k', { rcode: 0, answers: [a(10)], authorities: [] });
    clock.advance(10_000 + 59_000);
    const stale = cache.lookup('k');
    assert.equal(stale.kind, 'stale');
    if (stale.kind === 'stale') assert.equal(stale.staleForMs, 59_000);
    clock.advance(2000);
    assert.equal(cache.lookup('k').kind, 'miss');
  });

  it('caps TTLs, ignores SERVFAIL, and evicts the least recently used entry', () => {
    cache.store('servfail', { rcode: 2, answers: [], authorities: [] });
    assert.equal(cache.lookup('servfail').kind, 'miss');
    cache.store('long', { rcode: 0, answers: [a(999_999)], authorities: [] });
    clock.advance(3601_000);
    assert.equal(cache.lookup('long').kind, 'stale', 'capped at maxTtlS');
    cache.store('1', { rcode: 0, answers: [a(100)], authorities: [] });
    cache.store('2', { rcode: 0, answers: [a(100)], authorities: [] });
    cache.store('3', { rcode: 0, answers: [a(100)], authorities: [] });
    cache.lookup('1');
    cache.store('4', { rcode: 0, answers: [a(100)], authorities: [] });
    assert.equal(cache.size, 3);
    assert.equal(cache.lookup('2').kind, 'miss', 'least recently used went first');
    assert.equal(cache.lookup('1').kind, 'fresh');
  });
});
