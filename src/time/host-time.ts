// The host's wall clock with nanosecond resolution: the wall clock read
// once, then carried forward by the monotonic clock (process.hrtime through
// kernel/clock), so timestamps are sub-millisecond and never go backwards —
// and a step of the system clock does not make served time jump. The core
// serving its own clock follows such steps instead (followSteps: any step
// over a millisecond or two), as chrony's `local` does. For tests only, a skew and a drift can be applied,
// so one machine can show convergence and holdover (config time.test).

import type { Clock } from '../kernel/clock';

export interface HostTime {
  /** Unix nanoseconds. */
  nowNs(): bigint;
  /** What it is computed from, so another thread can compute the same host time (ntp-worker.ts). */
  params(): HostParams;
}

/** A host time as data: the wall clock at a monotonic instant, the test skew, and whether it follows steps. */
export interface HostParams {
  wallAnchorNs: bigint;
  monoAnchorNs: bigint;
  monoStartNs: bigint;
  skewNs: bigint;
  drift: number;
  followSteps: boolean;
}

export interface Skew {
  /** Added to the host clock. */
  offsetMs: number;
  /** The host clock runs this many ppm fast (negative: slow). */
  driftPpm: number;
}

/**
 * The system clock (Date.now(), whole milliseconds) reads up to 1 ms behind the carried-forward time; a
 * difference outside (−2 ms, +1 ms] is a step of it. (Only steps part them: a slewed system clock slews
 * the monotonic clock too.) A VM's clock corrected by 12 ms after a pause once left a core serving 12 ms
 * off for good when the threshold was 20 ms.
 */
const STEP_AHEAD_NS = 1_000_000n;
const STEP_BEHIND_NS = -2_000_000n;

export function hostTime(clock: Clock, skew: Skew = { offsetMs: 0, driftPpm: 0 }, options: { followSteps?: boolean } = {}): HostTime {
  const wallNs = clock.wallNs(); // may wait for a tick of the system clock: the monotonic reading comes after it
  const monoNs = clock.monotonicNs();
  return hostTimeFrom(clock, {
    wallAnchorNs: wallNs,
    monoAnchorNs: monoNs,
    monoStartNs: monoNs,
    skewNs: BigInt(Math.round(skew.offsetMs * 1e6)),
    drift: skew.driftPpm * 1e-6,
    followSteps: options.followSteps ?? false,
  });
}

/** The host time `params` describe, read with `clock` (the same monotonic clock in every thread of a process). */
export function hostTimeFrom(clock: Clock, params: HostParams): HostTime {
  let { wallAnchorNs, monoAnchorNs } = params;
  const { monoStartNs, skewNs, drift } = params;
  const options = { followSteps: params.followSteps };
  return {
    params: () => ({ ...params, wallAnchorNs, monoAnchorNs }),
    nowNs: () => {
      const mono = clock.monotonicNs();
      let base = wallAnchorNs + (mono - monoAnchorNs);
      if (options.followSteps) {
        const diff = BigInt(clock.nowMs()) * 1_000_000n - base;
        if (diff > STEP_AHEAD_NS || diff < STEP_BEHIND_NS) {
          wallAnchorNs = clock.wallNs(); // to the microsecond (SystemClock reads it at a tick of Date.now())
          monoAnchorNs = clock.monotonicNs();
          base = wallAnchorNs + (clock.monotonicNs() - monoAnchorNs);
        }
      }
      return base + skewNs + (drift === 0 ? 0n : BigInt(Math.round(Number(mono - monoStartNs) * drift)));
    },
  };
}
