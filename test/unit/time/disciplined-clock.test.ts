import assert from 'node:assert/strict';
import { FakeClock } from '../../../src/kernel/clock';
import { ClockFilter } from '../../../src/time/clock-filter';
import { DisciplinedClock, MAX_SLEW } from '../../../src/time/disciplined-clock';
import { hostTime } from '../../../src/time/host-time';

describe('DisciplinedClock (fake clock)', () => {
  let clock: FakeClock;
  let disciplined: DisciplinedClock;
  const host = (): bigint => clock.wallNs();
  beforeEach(() => {
    clock = new FakeClock();
    disciplined = new DisciplinedClock(hostTime(clock));
  });

  it('steps to the first estimate, then slews later ones at no more than 500 ppm, never running backwards', () => {
    assert.equal(disciplined.isSynced, false);
    disciplined.update({ offsetS: 0.25, freq: 0 });
    assert.equal(disciplined.isSynced, true);
    assert.equal(disciplined.nowNs() - host(), 250_000_000n, 'first estimate stepped to');
    disciplined.update({ offsetS: 0.24, freq: 0 }); // 10 ms less: slewed out over 20 s
    let previous = disciplined.nowNs();
    for (let i = 0; i < 30; i++) {
      clock.advance(1000);
      const now = disciplined.nowNs();
      const advanced = Number(now - previous) / 1e6;
      assert.ok(advanced >= 1000 * (1 - MAX_SLEW) - 1e-6 && advanced <= 1000 * (1 + MAX_SLEW) + 1e-6, `advanced ${advanced} ms in 1 s`);
      previous = now;
    }
    assert.ok(Math.abs(Number(disciplined.nowNs() - host()) / 1e9 - 0.24) < 1e-6, 'correction reached after the slew');
  });

  it('holds over on its frequency estimate when updates stop', () => {
    disciplined.update({ offsetS: 0, freq: 50e-6 });
    clock.advance(100_000);
    assert.ok(Math.abs(Number(disciplined.nowNs() - host()) / 1e9 - 0.005) < 1e-6, '50 ppm for 100 s = 5 ms');
    assert.ok(Math.abs(disciplined.sinceUpdateS() - 100) < 1e-9);
  });

  it('believes no frequency beyond 500 ppm', () => {
    disciplined.update({ offsetS: 0, freq: 0.01 });
    assert.equal(disciplined.frequency, 500e-6);
  });
});

describe('ClockFilter', () => {
  it('takes the offset of the least-delayed sample and the frequency from the slope of the samples', () => {
    const filter = new ClockFilter();
    const t0 = 1_795_858_000_000_000_000n;
    // The source runs 20 ppm ahead of the host; one sample is delayed (and its offset off by 3 ms).
    for (let i = 0; i < 8; i++) {
      const delayed = i === 3;
      filter.add({ hostNs: t0 + BigInt(i) * 16_000_000_000n, offsetS: 0.1 + 20e-6 * i * 16 + (delayed ? 0.003 : 0), delayS: delayed ? 0.006 : 0.0002 + i * 1e-6 });
    }
    const estimate = filter.estimate()!;
    assert.equal(estimate.best.delayS, 0.0002, 'least delay wins');
    assert.ok(Math.abs(estimate.freq! - 20e-6) < 5e-6, `frequency ${estimate.freq}`);
    filter.add({ hostNs: t0 + 9n * 16_000_000_000n, offsetS: 0.1, delayS: 0.0001 });
    assert.equal(filter.size, 8, 'keeps the last 8');
  });

  it('reads the offset off the fit at the newest sample, averaging the scatter, not off one least-delayed sample', () => {
    const filter = new ClockFilter();
    const t0 = 1_795_858_000_000_000_000n;
    // The source is 5 ms ahead at the host's rate; offsets scatter ±30 µs; the least-delayed sample is the oldest.
    const scatter = [30e-6, -30e-6, -30e-6, 30e-6, 30e-6, -30e-6, -30e-6, 30e-6];
    scatter.forEach((noise, i) => filter.add({ hostNs: t0 + BigInt(i) * 16_000_000_000n, offsetS: 0.005 + noise, delayS: i === 0 ? 0.0003 : 0.00031 }));
    const estimate = filter.estimate()!;
    assert.equal(estimate.best.hostNs, t0, 'the least-delayed sample is the oldest');
    assert.equal(estimate.atNs, t0 + 7n * 16_000_000_000n, 'the offset is given at the newest sample');
    const carried = estimate.best.offsetS + estimate.freq! * 112;
    assert.ok(Math.abs(carried - 0.005) > 20e-6, `that sample carried forward on the slope is off: ${carried}`);
    assert.ok(Math.abs(estimate.offsetS - 0.005) < 10e-6, `offset ${estimate.offsetS}`);
  });

  it('leaves samples delayed far beyond the best out of the jitter', () => {
    const filter = new ClockFilter();
    filter.add({ hostNs: 0n, offsetS: -0.245, delayS: 0.25 });
    for (let i = 1; i < 4; i++) filter.add({ hostNs: BigInt(i) * 250_000_000n, offsetS: -0.12, delayS: 0.0001 });
    assert.ok(filter.estimate()!.jitterS < 1e-9);
  });

  it('claims no frequency from fewer than 3 samples', () => {
    const filter = new ClockFilter();
    filter.add({ hostNs: 0n, offsetS: 0, delayS: 0.001 });
    filter.add({ hostNs: 10_000_000_000n, offsetS: 0.001, delayS: 0.001 });
    assert.equal(filter.estimate()!.freq, undefined, 'unknown, so the clock keeps the frequency it has');
  });
});
