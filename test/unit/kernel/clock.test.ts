import assert from 'node:assert/strict';
import { FakeClock, SystemClock, wallAtTick } from '../../../src/kernel/clock';

describe('FakeClock', () => {
  it('fires timers in due order with now set to their due time', () => {
    const clock = new FakeClock(1_000);
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => fired.push(['b', clock.nowMs()]), 200);
    clock.setTimeout(() => fired.push(['a', clock.nowMs()]), 100);
    clock.setTimeout(() => fired.push(['c', clock.nowMs()]), 200);
    clock.advance(150);
    assert.deepEqual(fired, [['a', 1_100]]);
    clock.advance(60_000);
    assert.deepEqual(fired, [['a', 1_100], ['b', 1_200], ['c', 1_200]]);
    assert.equal(clock.nowMs(), 61_150);
  });

  it('repeats intervals and stops them when cancelled', () => {
    const clock = new FakeClock(0);
    let count = 0;
    const timer = clock.setInterval(() => count++, 1000);
    clock.advance(10_500);
    assert.equal(count, 10);
    timer.cancel();
    clock.advance(10_000);
    assert.equal(count, 10);
    assert.equal(clock.pendingTimers(), 0);
  });

  it('fires timers created by timers within the same advance', () => {
    const clock = new FakeClock(0);
    const at: number[] = [];
    clock.setTimeout(() => {
      at.push(clock.nowMs());
      clock.setTimeout(() => at.push(clock.nowMs()), 50);
    }, 100);
    clock.advance(1000);
    assert.deepEqual(at, [100, 150]);
  });

  it('lets async code run between timers with tick()', async () => {
    const clock = new FakeClock(0);
    const seen: number[] = [];
    const loop = async (): Promise<void> => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(1000);
        seen.push(clock.nowMs());
      }
    };
    const done = loop();
    await clock.tick(5000);
    await done;
    assert.deepEqual(seen, [1000, 2000, 3000]);
  });

  it('keeps monotonic time moving with advance, and separate from wall steps', () => {
    const clock = new FakeClock(5_000);
    const m0 = clock.monotonicNs();
    clock.advance(250);
    assert.equal(clock.monotonicNs() - m0, 250_000_000n);
    clock.setWallMs(0);
    assert.equal(clock.nowMs(), 0);
    assert.equal(clock.monotonicNs() - m0, 250_000_000n);
  });
});

describe('SystemClock', () => {
  it('reads the host clock and sleeps for real', async () => {
    const clock = new SystemClock();
    const before = clock.monotonicNs();
    await clock.sleep(20);
    assert.ok(clock.monotonicNs() - before >= 15_000_000n);
    assert.ok(Math.abs(clock.nowMs() - Date.now()) < 1000);
  });

  it('does not take a tick it saw late (preempted between two readings) for the exact millisecond', () => {
    // A scripted system: monotonic ns, and the wall clock 1,700,000,000,000.3 ms at monotonic 0 (ticks at 0.7 ms, 1.7 ms, …).
    const WALL0_NS = 1_700_000_000_000_300_000n;
    let mono = 0n;
    let preemptAt: bigint | undefined = 600_000n; // a reading at 0.6 ms is followed by a 0.5 ms pause: the tick at 0.7 ms is seen at 1.1 ms
    const read = {
      nowMs: (): number => {
        mono += 1_000n;
        return Number((WALL0_NS + mono) / 1_000_000n);
      },
      monoNs: (): bigint => {
        mono += 1_000n;
        if (preemptAt !== undefined && mono >= preemptAt) {
          mono += 500_000n;
          preemptAt = undefined;
        }
        return mono;
      },
    };
    const wall = wallAtTick(read)!;
    const truth = WALL0_NS + mono;
    assert.ok(mono > 1_700_000n, 'it waited for the next tick (at 1.7 ms)');
    assert.ok(Math.abs(Number(wall - truth)) <= 3_000, `off by ${Number(wall - truth) / 1000} µs (taking the late tick: −400 µs)`);
    assert.equal(wallAtTick({ nowMs: () => 5, monoNs: () => (mono += 100_000n) }), undefined, 'a clock that never ticks');
  });

  it('reads the wall clock to within microseconds of the system clock (NTP serves it)', () => {
    // Carried forward from wallNs() to the next instant Date.now() ticks over (an exact millisecond):
    // off by how far wallNs() is. performance.timeOrigin + performance.now() was ~25–30 µs ahead.
    // Only readings whose own brackets are tight count, as NTP keeps its lowest-delay samples: a
    // process preempted between two readings (a loaded 2-core machine: half of 15 were 25–270 µs
    // off) measures the preemption, not the clock.
    const clock = new SystemClock();
    const errorsUs: number[] = [];
    const TIGHT_NS = 5_000n;
    for (let i = 0; i < 200 && errorsUs.length < 25; i++) {
      const wall = clock.wallNs(); // itself read at a tick of Date.now() (~1 ms)
      const mono = process.hrtime.bigint();
      const ms = Date.now();
      let asked = process.hrtime.bigint();
      let tick: number;
      while ((tick = Date.now()) === ms) asked = process.hrtime.bigint();
      const tickMono = process.hrtime.bigint();
      // The tick fell between the last two Date.now() calls: in the middle of that bracket, ± half of it.
      if (tickMono - asked > TIGHT_NS) continue;
      const tickAt = asked + (tickMono - asked) / 2n;
      errorsUs.push(Number(wall + (tickAt - mono) - BigInt(tick) * 1_000_000n) / 1000);
    }
    assert.ok(errorsUs.length >= 5, `only ${errorsUs.length} of 200 readings had brackets under ${TIGHT_NS / 1000n} µs`);
    errorsUs.sort((a, b) => a - b);
    const median = errorsUs[errorsUs.length >> 1]!;
    assert.ok(Math.abs(median) <= 12, `wallNs() is ${median.toFixed(1)} µs off the system clock (median of ${errorsUs.length} tight readings; all: ${errorsUs.map((e) => e.toFixed(1)).join(', ')})`);
  });
});
