// The sync client's poll and its popcorn filter, on a fake clock with a
// scripted source: after the first sync it polls every 2 s, doubles the
// interval up to pollS once corrections stay small, and polls fast again
// after a large one; a sample whose round trip took far longer than the
// recent ones is left out of the filter (it moves neither the served
// offset nor the filter's best), four in a row at most.

import assert from 'node:assert/strict';
import { FakeClock } from '../../../src/kernel/clock';
import { createLogger } from '../../../src/kernel/log';
import { DisciplinedClock } from '../../../src/time/disciplined-clock';
import { hostTime } from '../../../src/time/host-time';
import type { Exchanged } from '../../../src/time/ntp-exchange';
import type { HostPort } from '../../../src/kernel/host-port';
import { FAST_POLL_MS, MIN_INTERVAL_S, TimeSync, truechimers, type SourceRef } from '../../../src/time/time-sync';

const POLL_S = 16;
const SOURCE = { name: 'eu', address: { host: '127.0.0.1', port: 123 } };
const STATE = { stratum: 2, leap: 0, rootDelayS: 0, rootDispersionS: 0, refId: Buffer.from([127, 0, 0, 1]) };

describe('time sync: adaptive poll and popcorn spikes (fake clock)', () => {
  let clock: FakeClock;
  let disciplined: DisciplinedClock;
  let sync: TimeSync;
  let host: ReturnType<typeof hostTime>;
  /** What the source answers next: its offset from the host clock and the round trip. */
  let next: { offsetS: number; delayS: number };
  const polls: number[] = [];

  beforeEach(() => {
    clock = new FakeClock();
    host = hostTime(clock);
    disciplined = new DisciplinedClock(host);
    next = { offsetS: 0.010, delayS: 0.001 };
    polls.length = 0;
    const exchanger = async (): Promise<Exchanged> => {
      polls.push(clock.nowMs());
      return { sample: { hostNs: host.nowNs(), ...next }, state: STATE };
    };
    sync = new TimeSync(disciplined, host, () => [SOURCE], { pollS: POLL_S, timeoutMs: 1000, maxDistanceS: 1.5 }, clock, createLogger({ level: 'silent' }), exchanger);
    sync.start();
  });

  afterEach(() => sync.stop());

  const gaps = (): number[] => polls.slice(1).map((at, i) => at - polls[i]!);

  it('polls every 2 s after the first sync, backs off to pollS while corrections stay small, and polls fast again after a large one', async () => {
    await clock.tick(1000); // the burst: 4 samples 250 ms apart, then synchronised
    assert.equal(disciplined.isSynced, true);
    await clock.tick(120_000);
    const after = gaps().slice(3); // the burst: three 250 ms gaps
    assert.deepEqual(after.slice(0, 4), [FAST_POLL_MS, FAST_POLL_MS, FAST_POLL_MS, FAST_POLL_MS], 'fast at first');
    assert.deepEqual(after.slice(4, 8), [2 * FAST_POLL_MS, 2 * FAST_POLL_MS, 2 * FAST_POLL_MS, 2 * FAST_POLL_MS], 'doubled after four small corrections');
    assert.equal(after.at(-1), POLL_S * 1000, 'up to pollS, no further');
    assert.equal(sync.pollIntervalMs, POLL_S * 1000);

    next = { offsetS: 0.030, delayS: 0.001 }; // the source moved by 20 ms: a large correction
    const before = polls.length;
    await clock.tick(POLL_S * 1000 + 2 * FAST_POLL_MS);
    assert.equal(sync.pollIntervalMs, FAST_POLL_MS, 'fast again');
    assert.equal(polls.at(-1)! - polls.at(-2)!, FAST_POLL_MS);
    assert.ok(polls.length >= before + 2);
  });

  it('leaves out samples whose round trip took far longer than the recent ones, at most four in a row', async () => {
    await clock.tick(1000);
    const offset = (): number => disciplined.offsetAt(host.nowNs());
    await clock.tick(10_000);
    const settled = offset();
    assert.ok(Math.abs(settled - 0.010) < 1e-4, `settled near the source: ${settled}`);

    next = { offsetS: 0.050, delayS: 0.040 }; // a queue on the way: 40 ms round trips saying +50 ms
    for (let i = 0; i < 4; i++) await clock.tick(sync.pollIntervalMs);
    assert.equal(sync.popcornSpikes, 4);
    assert.equal(sync.estimate!.best.delayS, 0.001, 'the best sample is still a 1 ms one');
    assert.ok(Math.abs(disciplined.offsetAt(host.nowNs()) - settled) < 1e-4, 'the served offset did not follow the spikes');
    await clock.tick(sync.pollIntervalMs);
    assert.equal(sync.popcornSpikes, 4, 'the fifth in a row counts: the path may have changed for good');
    assert.equal(sync.sample!.delayS, 0.040);
    // The path changed for good: the filter starts again from that sample, so the next ones at 40 ms count too.
    for (let i = 0; i < 3; i++) await clock.tick(sync.pollIntervalMs);
    assert.equal(sync.popcornSpikes, 4, 'no further spikes once the longer path is the norm');
    assert.equal(sync.estimate!.best.delayS, 0.040);
  });
});

describe('time sync: several sources, selection and combination (fake clock)', () => {
  let clock: FakeClock;
  let disciplined: DisciplinedClock;
  let host: ReturnType<typeof hostTime>;
  let sync: TimeSync | undefined;
  /** What each source (by port) answers: its offset from the host clock, round trip, and what it says of itself; undefined: silence. */
  const script = new Map<number, { offsetS: number; delayS: number; stratum: number; rootDelayS: number } | undefined>();
  const source = (name: string, port: number): SourceRef => ({ name, address: { host: '127.0.0.1', port } });

  function start(sources: SourceRef[]): TimeSync {
    const exchanger = async (address: HostPort): Promise<Exchanged | undefined> => {
      const s = script.get(address.port);
      if (!s) return undefined;
      return { sample: { hostNs: host.nowNs(), offsetS: s.offsetS, delayS: s.delayS }, state: { stratum: s.stratum, leap: 0, rootDelayS: s.rootDelayS, rootDispersionS: 0.0001, refId: Buffer.from([127, 0, 0, address.port % 256]) } };
    };
    sync = new TimeSync(disciplined, host, () => sources, { pollS: POLL_S, timeoutMs: 1000, maxDistanceS: 1.5 }, clock, createLogger({ level: 'silent' }), exchanger);
    sync.start();
    return sync;
  }

  beforeEach(() => {
    clock = new FakeClock();
    host = hostTime(clock);
    disciplined = new DisciplinedClock(host);
    script.clear();
  });

  afterEach(() => sync?.stop());

  const served = (): number => disciplined.offsetAt(host.nowNs());
  const states = (s: TimeSync): string[] => s.selection.map((e) => `${e.name}:${e.state}`);

  it('asks its sources one after the other, never two at once (replies read together delay the second one read)', async () => {
    let inFlight = 0;
    let most = 0;
    const asked: number[] = [];
    const exchanger = async (address: HostPort): Promise<Exchanged> => {
      most = Math.max(most, ++inFlight);
      asked.push(address.port);
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 1));
      inFlight--;
      return { sample: { hostNs: host.nowNs(), offsetS: 0.01, delayS: 0.001 }, state: { stratum: 2, leap: 0, rootDelayS: 0, rootDispersionS: 0.0001, refId: Buffer.from([127, 0, 0, 1]) } };
    };
    sync = new TimeSync(disciplined, host, () => [source('eu', 1001), source('core', 1002)], { pollS: POLL_S, timeoutMs: 1000, maxDistanceS: 1.5 }, clock, createLogger({ level: 'silent' }), exchanger);
    sync.start();
    await clock.tick(5000);
    assert.deepEqual(asked.slice(0, 4), [1001, 1002, 1001, 1002], 'both sources, in order');
    assert.equal(most, 1, 'one exchange at a time');
    assert.equal(disciplined.isSynced, true);
  });

  it('leaves out a source whose interval no majority shares (a falseticker), even the first in order, and combines the others', async () => {
    script.set(1, { offsetS: 0.060, delayS: 0.0004, stratum: 2, rootDelayS: 0 });
    script.set(2, { offsetS: 0.010, delayS: 0.0004, stratum: 2, rootDelayS: 0 });
    script.set(3, { offsetS: 0.0102, delayS: 0.0004, stratum: 2, rootDelayS: 0 });
    const s = start([source('bad', 1), source('a', 2), source('b', 3)]);
    await clock.tick(1000);
    assert.equal(disciplined.isSynced, true);
    assert.deepEqual(states(s), ['bad:falseticker', 'a:system', 'b:combined']);
    assert.equal(s.source?.name, 'a', 'the system peer is the first truechimer');
    assert.ok(Math.abs(served() - 0.0101) < 5e-5, `served offset is the truechimers' combination: ${served()}`);
  });

  it('two sources that disagree: the one with the least root distance (nearer the core) is believed', async () => {
    script.set(1, { offsetS: 0.040, delayS: 0.0004, stratum: 3, rootDelayS: 0.010 }); // the current parent, 30 ms off
    script.set(2, { offsetS: 0.010, delayS: 0.0004, stratum: 2, rootDelayS: 0 }); // its fallback, the core
    const s = start([source('eu', 1), source('core', 2)]);
    await clock.tick(1000);
    assert.equal(s.source?.name, 'core');
    assert.deepEqual(states(s), ['eu:falseticker', 'core:system']);
    assert.ok(Math.abs(served() - 0.010) < 1e-5, `served offset follows the core: ${served()}`);
  });

  it('a source with long round trips counts little in the combination; the system peer stays the first in order', async () => {
    script.set(1, { offsetS: 0.0108, delayS: 0.030, stratum: 2, rootDelayS: 0 }); // overloaded: ±15 ms
    script.set(2, { offsetS: 0.010, delayS: 0.0002, stratum: 2, rootDelayS: 0 });
    const s = start([source('busy', 1), source('quiet', 2)]);
    await clock.tick(1000);
    assert.deepEqual(states(s), ['busy:system', 'quiet:combined']);
    assert.ok(Math.abs(served() - 0.010) < 2e-5, `served offset is the quiet source's within 20 µs: ${served()}`);
  });

  it('a system peer that stops answering is left out after two polls: the next source takes over, without a step', async () => {
    script.set(1, { offsetS: 0.010, delayS: 0.0004, stratum: 3, rootDelayS: 0.0004 });
    script.set(2, { offsetS: 0.010, delayS: 0.0004, stratum: 2, rootDelayS: 0 });
    const s = start([source('eu', 1), source('core', 2)]);
    await clock.tick(1000);
    assert.equal(s.source?.name, 'eu');
    script.set(1, undefined);
    await clock.tick(2 * FAST_POLL_MS + 100);
    assert.equal(s.source?.name, 'core');
    assert.deepEqual(states(s), ['eu:unreachable', 'core:system']);
    assert.ok(Math.abs(served() - 0.010) < 1e-4);
  });
});

describe('truechimers (Marzullo intersection)', () => {
  const c = (offsetS: number, distanceS: number): { offsetS: number; distanceS: number } => ({ offsetS, distanceS });
  it('keeps the largest set of intervals sharing a point when it is a majority', () => {
    const [a, b, d] = [c(0, 0.002), c(0.003, 0.002), c(0.010, 0.002)];
    assert.deepEqual(truechimers([a, b, d]), [a, b]);
  });
  it('without a majority, the least root distance', () => {
    const [a, b] = [c(0, 0.003), c(0.010, 0.002)];
    assert.deepEqual(truechimers([a, b]), [b]);
  });
  it(`intervals are ${MIN_INTERVAL_S * 1000} ms wide at least: sources on one LAN agree`, () => {
    const [a, b] = [c(0, 0.00001), c(0.0015, 0.00001)];
    assert.deepEqual(truechimers([a, b]), [a, b]);
  });
});
