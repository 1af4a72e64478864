// The time a node serves: the host clock plus an estimated offset and
// frequency correction — the host clock itself is never stepped or slewed.
// After the first synchronisation (a step of the correction: the node was
// announcing "unsynchronised" until then) every change is slewed at no more
// than MAX_SLEW, so served time never jumps and never runs backwards. With
// no new sample (holdover) it keeps running on the last frequency estimate
// while its dispersion grows at PHI (RFC 5905: 15 ppm).

import type { HostTime } from './host-time';

/** Largest extra rate used to slew a correction in (ntpd's 500 ppm). */
export const MAX_SLEW = 500e-6;
/** Frequency tolerance: how fast dispersion grows without updates (RFC 5905 PHI). */
export const PHI = 15e-6;
/** Largest frequency correction believed (a host clock worse than this is broken). */
export const MAX_FREQ = 500e-6;

export interface Correction {
  /** Seconds to add to host time at `atNs` (host time, Unix ns). */
  offsetS: number;
  /** Fractional frequency correction (0.00005 = the host runs 50 ppm slow). */
  freq: number;
}

/** The correction as data: what servedAtWith() needs (and all another thread needs to serve the same time). */
export interface ClockState {
  anchorNs: bigint;
  anchorOffsetS: number;
  freq: number;
  slewRate: number;
  slewUntilS: number;
}

/** The correction (seconds) `state` applies at host instant `hostNs`. */
export function offsetWith(state: ClockState, hostNs: bigint): number {
  const dtS = Number(hostNs - state.anchorNs) / 1e9;
  return state.anchorOffsetS + state.freq * dtS + state.slewRate * Math.min(Math.max(dtS, 0), state.slewUntilS);
}

/** Served time for host instant `hostNs` under `state`. */
export function servedAtWith(state: ClockState, hostNs: bigint): bigint {
  return hostNs + BigInt(Math.round(offsetWith(state, hostNs) * 1e9));
}

export class DisciplinedClock {
  /** Correction at `anchorNs` (host time): offset, frequency, and a slew in progress. */
  private anchorNs = 0n;
  private anchorOffsetS = 0;
  private freq = 0;
  private slewRate = 0;
  private slewUntilS = 0;
  private synced = false;
  private lastUpdateNs: bigint | undefined;
  /** Hears every change of the correction or of synchronisation (the NTP worker's board is published then). */
  onChange: (() => void) | undefined;

  constructor(private readonly host: HostTime) {}

  /** Served time, Unix ns. */
  nowNs(): bigint {
    return this.servedAt(this.host.nowNs());
  }

  /** Served time for a host instant (e.g. when a packet arrived). */
  servedAt(hostNs: bigint): bigint {
    return servedAtWith(this.state(), hostNs);
  }

  /** The correction (seconds) applied at host instant `hostNs`. */
  offsetAt(hostNs: bigint): number {
    return offsetWith(this.state(), hostNs);
  }

  /** The correction as it stands, as data. */
  state(): ClockState {
    return { anchorNs: this.anchorNs, anchorOffsetS: this.anchorOffsetS, freq: this.freq, slewRate: this.slewRate, slewUntilS: this.slewUntilS };
  }

  get frequency(): number {
    return this.freq;
  }

  get isSynced(): boolean {
    return this.synced;
  }

  /** Host instant of the last update, if any. */
  get lastUpdate(): bigint | undefined {
    return this.lastUpdateNs;
  }

  /** Seconds since the last update, by host time (0 before any). */
  sinceUpdateS(): number {
    return this.lastUpdateNs === undefined ? 0 : Number(this.host.nowNs() - this.lastUpdateNs) / 1e9;
  }

  /**
   * A new estimate of the correction that should apply now (target offset and frequency, from the
   * clock filter). The first one is stepped to; later ones are slewed in from where served time is.
   */
  update(target: Correction): void {
    const now = this.host.nowNs();
    const freq = Math.max(-MAX_FREQ, Math.min(MAX_FREQ, target.freq));
    if (!this.synced) {
      this.anchor(now, target.offsetS, freq, 0, 0);
      this.synced = true;
    } else {
      const current = this.offsetAt(now);
      const error = target.offsetS - current;
      this.anchor(now, current, freq, Math.sign(error) * MAX_SLEW, Math.abs(error) / MAX_SLEW);
    }
    this.lastUpdateNs = now;
    this.onChange?.();
  }

  /** Forget synchronisation (e.g. a source that went bad): served time keeps running as is. */
  unsync(): void {
    this.synced = false;
    this.onChange?.();
  }

  /** Seconds left of the slew in progress (0 when none). */
  slewRemainingS(): number {
    const dtS = Number(this.host.nowNs() - this.anchorNs) / 1e9;
    return Math.max(0, this.slewUntilS - dtS) * Math.abs(this.slewRate);
  }

  private anchor(at: bigint, offsetS: number, freq: number, slewRate: number, slewS: number): void {
    this.anchorNs = at;
    this.anchorOffsetS = offsetS;
    this.freq = freq;
    this.slewRate = slewRate;
    this.slewUntilS = slewS;
  }
}
