// The host's wall clock with nanosecond resolution: the wall clock read
// once, then carried forward by the monotonic clock (process.hrtime through
// kernel/clock), so timestamps are sub-millisecond and never go backwards.
// For tests only, a skew and a drift can be applied, so one machine can
// show convergence and holdover (config time.test).

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

export function hostTime(clock: Clock, skew: Skew = { offsetMs: 0, driftPpm: 0 }): HostTime {
  const wallAnchorNs = clock.wallNs() + BigInt(Math.round(skew.offsetMs * 1e6));
  const monoAnchorNs = clock.monotonicNs();
  const drift = skew.driftPpm * 1e-6;
  return {
    nowNs: () => {
      const elapsed = clock.monotonicNs() - monoAnchorNs;
      return wallAnchorNs + elapsed + (drift === 0 ? 0n : BigInt(Math.round(Number(elapsed) * drift)));
    },
  };
}
