// The host's wall clock with nanosecond resolution: the wall clock read
// once, then carried forward by the monotonic clock (process.hrtime through
// kernel/clock), so timestamps are sub-millisecond and never go backwards —
// and a step of the system clock does not make served time jump. The core
// serving its own clock follows such steps instead (followSteps), as
// chrony's `local` does. For tests only, a skew and a drift can be applied,
// so one machine can show convergence and holdover (config time.test).

import type { Clock } from '../kernel/clock';

export interface HostTime {
  /** Unix nanoseconds. */
  nowNs(): bigint;
}

export interface Skew {
  /** Added to the host clock. */
  offsetMs: number;
  /** The host clock runs this many ppm fast (negative: slow). */
  driftPpm: number;
}

/** A difference from the system clock larger than this is taken for a step of it. */
const STEP_NS = 20_000_000n;

export function hostTime(clock: Clock, skew: Skew = { offsetMs: 0, driftPpm: 0 }, options: { followSteps?: boolean } = {}): HostTime {
  let wallAnchorNs = clock.wallNs();
  let monoAnchorNs = clock.monotonicNs();
  const monoStartNs = monoAnchorNs;
  const skewNs = BigInt(Math.round(skew.offsetMs * 1e6));
  const drift = skew.driftPpm * 1e-6;
  return {
    nowNs: () => {
      const mono = clock.monotonicNs();
      let base = wallAnchorNs + (mono - monoAnchorNs);
      if (options.followSteps) {
        const system = BigInt(clock.nowMs()) * 1_000_000n;
        const diff = system - base;
        if (diff > STEP_NS || diff < -STEP_NS) {
          wallAnchorNs = system;
          monoAnchorNs = mono;
          base = system;
        }
      }
      return base + skewNs + (drift === 0 ? 0n : BigInt(Math.round(Number(mono - monoStartNs) * drift)));
    },
  };
}
