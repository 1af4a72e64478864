// The clock filter (RFC 5905 §10, simplified): the last 8 samples of one
// source; the offset is taken from the sample with the least round-trip
// delay (the one least disturbed by queueing), the frequency from the
// least-squares slope of offset over time across the samples. Samples
// delayed far beyond the best (more than twice its delay plus 1 ms) say
// little about the offset and are left out of the slope and the jitter.

export const FILTER_SAMPLES = 8;

export interface Sample {
  /** Host time of the exchange's end, Unix ns. */
  hostNs: bigint;
  /** Source minus host clock, seconds. */
  offsetS: number;
  /** Round-trip delay, seconds. */
  delayS: number;
}

export interface Estimate {
  best: Sample;
  /** Fractional frequency of source relative to host (offset growth per second); undefined while the samples cannot tell. */
  freq: number | undefined;
  /** Root-mean-square of the sample offsets around the fit, seconds (the jitter). */
  jitterS: number;
}

export class ClockFilter {
  private samples: Sample[] = [];

  add(sample: Sample): void {
    this.samples.push(sample);
    if (this.samples.length > FILTER_SAMPLES) this.samples.shift();
  }

  clear(): void {
    this.samples = [];
  }

  get size(): number {
    return this.samples.length;
  }

  /** The least round-trip delay among the samples kept (undefined when none). */
  leastDelayS(): number | undefined {
    return this.samples.length === 0 ? undefined : Math.min(...this.samples.map((s) => s.delayS));
  }

  estimate(): Estimate | undefined {
    if (this.samples.length === 0) return undefined;
    const best = this.samples.reduce((a, b) => (b.delayS < a.delayS ? b : a));
    const usable = this.samples.filter((s) => s.delayS <= 2 * best.delayS + 0.001);
    const origin = usable[0]!.hostNs;
    const xs = usable.map((s) => Number(s.hostNs - origin) / 1e9);
    const ys = usable.map((s) => s.offsetS);
    const n = xs.length;
    const mx = xs.reduce((a, b) => a + b, 0) / n;
    const my = ys.reduce((a, b) => a + b, 0) / n;
    const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
    // Fewer than 3 samples or under 2 s of span say nothing reliable about frequency.
    const freq = n >= 3 && xs[n - 1]! - xs[0]! >= 2 ? sxy / sxx : undefined;
    const jitterS = Math.sqrt(ys.reduce((a, y, i) => a + (y - (my + (freq ?? 0) * (xs[i]! - mx))) ** 2, 0) / n);
    return { best, freq, jitterS };
  }
}
