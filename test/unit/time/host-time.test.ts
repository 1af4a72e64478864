import assert from 'node:assert/strict';
import { FakeClock, type Clock } from '../../../src/kernel/clock';
import { hostTime } from '../../../src/time/host-time';

/** A machine whose system clock can be stepped apart from its monotonic clock (as a VM's, corrected after a pause). */
class SteppableClock extends FakeClock implements Clock {
  monoNs = 5_000_000_000n;
  wallUs = 1_790_000_000_000_000n + 123n; // µs: 123 µs into a millisecond
  override nowMs(): number {
    return Number(this.wallUs / 1000n);
  }
  override monotonicNs(): bigint {
    return this.monoNs;
  }
  override wallNs(): bigint {
    return this.wallUs * 1000n;
  }
  /** Both clocks advance (time passes). */
  pass(us: bigint): void {
    this.monoNs += us * 1000n;
    this.wallUs += us;
  }
}

describe('host time', () => {
  it('at the core (followSteps): follows a step of the system clock of a few milliseconds, not only of 20', () => {
    const clock = new SteppableClock();
    const host = hostTime(clock, undefined, { followSteps: true });
    const start = host.nowNs();
    assert.equal(start, clock.wallNs(), 'the wall clock to the microsecond');
    clock.pass(2_500n);
    assert.equal(host.nowNs() - start, 2_500_000n, 'carried forward by the monotonic clock; Date.now() reading whole ms is no step');
    clock.wallUs += 12_000n; // the system clock is stepped 12 ms ahead
    const after = host.nowNs();
    assert.ok(Math.abs(Number(after - clock.wallNs())) <= 500_000, `follows it (within half a millisecond: ${Number(after - clock.wallNs()) / 1e6} ms)`);
    clock.wallUs -= 12_000n; // and back
    assert.ok(Math.abs(Number(host.nowNs() - clock.wallNs())) <= 500_000, 'and back');
  });

  it('anchors the wall clock to the monotonic reading made after it, not before (reading the wall clock takes time)', () => {
    // SystemClock.wallNs() waits for a tick of Date.now() (up to 1 ms); a cold performance.timeOrigin
    // took tens of µs. Paired with a monotonic reading from before, the host time ran that much ahead.
    class SlowWallClock extends SteppableClock {
      override wallNs(): bigint {
        this.pass(700n); // 700 µs pass while the wall clock is read
        return super.wallNs();
      }
    }
    const clock = new SlowWallClock();
    const host = hostTime(clock);
    assert.equal(host.nowNs(), clock.wallUs * 1000n);
  });

  it('elsewhere: a step of the system clock does not make the time carried forward jump', () => {
    const clock = new SteppableClock();
    const host = hostTime(clock);
    const start = host.nowNs();
    clock.wallUs += 12_000n;
    clock.pass(1_000n);
    assert.equal(host.nowNs() - start, 1_000_000n);
  });
});
