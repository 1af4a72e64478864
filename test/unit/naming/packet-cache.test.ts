import assert from 'node:assert/strict';
import { FakeClock } from '../../../src/kernel/clock';
import { addressMatcher, FastPath } from '../../../src/naming/server/fast-path';
import { PacketCache } from '../../../src/naming/server/packet-cache';
import { decodeResponse, encodeQuery, encodeResponse } from '../../../src/naming/server/dns2-adapter';

const response = (id: number): Buffer => Buffer.from([id >> 8, id & 0xff, 0x81, 0x80, 1, 2, 3]);

describe('PacketCache (fake clock)', () => {
  let clock: FakeClock;
  let cache: PacketCache;
  beforeEach(() => {
    clock = new FakeClock();
    cache = new PacketCache(2, clock);
  });

  it('answers with the query ID until the TTL runs out', () => {
    cache.set('k', response(1), 10, cache.generation);
    const hit = cache.get('k', 0xbeef);
    assert.equal(hit?.response.readUInt16BE(0), 0xbeef);
    assert.deepEqual([...hit!.response.subarray(2)], [0x81, 0x80, 1, 2, 3]);
    clock.advance(9_999);
    assert.ok(cache.get('k', 1));
    clock.advance(1);
    assert.equal(cache.get('k', 1), undefined);
  });

  it('asks for a refresh once, on the first hit in the last 10% of the TTL, and a new answer renews the entry', () => {
    cache.set('k', response(1), 10, cache.generation);
    clock.advance(8_999);
    assert.equal(cache.get('k', 1)?.refresh, false);
    clock.advance(1);
    assert.equal(cache.get('k', 1)?.refresh, true, 'due');
    assert.equal(cache.get('k', 1)?.refresh, false, 'only once');
    cache.set('k', response(2), 10, cache.generation);
    clock.advance(5_000);
    assert.equal(cache.get('k', 1)?.refresh, false, 'renewed: 5 s into a fresh 10 s');
    clock.advance(5_000);
    assert.equal(cache.get('k', 1), undefined);
  });

  it('clear() empties it, and an answer computed before the clear is not stored', () => {
    const before = cache.generation;
    cache.set('k', response(1), 10, before);
    cache.clear();
    assert.equal(cache.get('k', 1), undefined);
    cache.set('k', response(1), 10, before);
    assert.equal(cache.get('k', 1), undefined, 'stale generation ignored');
    cache.set('k', response(1), 10, cache.generation);
    assert.ok(cache.get('k', 1));
    cache.clear(7);
    assert.equal(cache.generation, 7, 'a worker follows the node generation');
  });

  it('counts the TTLs of an answer from elsewhere down while it is cached; an authoritative one keeps its TTLs', () => {
    const answer = (aa: boolean): Buffer =>
      encodeResponse({ id: 1, opcode: 0, rd: true, ra: true, aa, rcode: 0, question: { name: 'www.example.org', type: 1, class: 1 }, answers: [{ name: 'www.example.org', type: 'A', ttl: 60, data: { address: '192.0.2.1' } }], authorities: [{ name: 'example.org', type: 'NS', ttl: 300, data: { ns: 'ns.example.org' } }], additionals: [], edns: { payload: 1232 } });
    cache.set('forwarded', answer(false), 60, cache.generation, true);
    cache.set('authoritative', answer(true), 60, cache.generation, false);
    clock.advance(10_500);
    const forwarded = decodeResponse(cache.get('forwarded', 2)!.response);
    assert.deepEqual([forwarded.answers[0]!.ttl, forwarded.authorities[0]!.ttl], [50, 290]);
    const authoritative = decodeResponse(cache.get('authoritative', 2)!.response);
    assert.deepEqual([authoritative.answers[0]!.ttl, authoritative.authorities[0]!.ttl], [60, 300]);
    clock.advance(1_000);
    const later = cache.get('forwarded', 3)!.response;
    assert.equal(later.readUInt16BE(0), 3);
    assert.deepEqual([decodeResponse(later).answers[0]!.ttl, decodeResponse(later).authorities[0]!.ttl], [49, 289], 'aged again a second later');
    clock.advance(100_000);
    assert.equal(cache.get('forwarded', 4), undefined);
  });

  it('never stores TTL 0, and evicts the oldest beyond its size', () => {
    cache.set('zero', response(1), 0, cache.generation);
    assert.equal(cache.size, 0);
    for (const key of ['a', 'b', 'c']) cache.set(key, response(1), 10, cache.generation);
    assert.equal(cache.size, 2);
    assert.equal(cache.get('a', 1), undefined);
    assert.ok(cache.get('c', 1));
  });
});

describe('FastPath', () => {
  it('keys by the question as sent, EDNS and whether the client may recurse', () => {
    const clock = new FakeClock();
    const fast = new FastPath(new PacketCache(10, clock), addressMatcher(['127.0.0.0/8', '::1/128']));
    const query = encodeQuery(7, 'Www.Example', 1);
    const read = { id: 7, opcode: 0, rd: true, cd: false, name: 'Www.Example', type: 1, class: 1, edns: { payload: 1232, version: 0, dnssecOk: false }, questionEnd: 12 + 13 + 4 };
    const local = fast.key(query, read, '127.0.0.1', 'udp');
    assert.equal(fast.key(query, read, '::ffff:127.0.0.9', 'udp'), local, 'IPv4-mapped loopback may recurse too');
    assert.notEqual(fast.key(query, read, '192.0.2.1', 'udp'), local, 'no recursion for others: another answer');
    assert.notEqual(fast.key(query, read, '127.0.0.1', 'tcp'), local);
    assert.notEqual(fast.key(encodeQuery(7, 'www.example', 1), { ...read, name: 'www.example' }, '127.0.0.1', 'udp'), local, '0x20 case kept');
    const others = [
      { ...read, rd: false },
      { ...read, edns: undefined },
      { ...read, edns: { payload: 4096, version: 0, dnssecOk: false } },
      { ...read, edns: { payload: 1232, version: 1, dnssecOk: false } },
      { ...read, edns: { payload: 1232, version: 0, dnssecOk: true } },
    ].map((q) => fast.key(query, q, '127.0.0.1', 'udp'));
    assert.equal(new Set([local, ...others]).size, 6, 'RD and every EDNS parameter shape the key');

    fast.packetCache.set(local, response(7), 30, fast.packetCache.generation);
    assert.equal(fast.lookup(encodeQuery(0x0102, 'Www.Example', 1), '127.0.0.5', 'udp')?.response.readUInt16BE(0), 0x0102);
    assert.equal(fast.lookup(encodeQuery(0x0102, 'Www.Example', 1), '192.0.2.1', 'udp'), undefined);
    assert.equal(fast.lookup(Buffer.from([1, 2, 3]), '127.0.0.5', 'udp'), undefined, 'not a query: left to the full handler');
  });
});
