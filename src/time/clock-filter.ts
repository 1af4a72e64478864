// The clock filter (RFC 5905 §10, simplified, with chrony's regression): the
// last 8 samples of one source. The offset and the frequency come from a
// least-squares line through the samples' offsets over time, each sample
// weighted by how little its round trip exceeds the least one (a sample
// delayed by queueing on one side says little about the offset), and the
// offset is read off that line at the newest sample. Reading it off the
// least-delayed sample instead and carrying it forward on the slope made
// the served time wander: that sample is often a minute old, and a slope
// off by a ppm moves it tens of microseconds. Samples delayed far beyond
// the best (more than twice its delay plus 1 ms) are left out altogether.

export const FILTER_SAMPLES = 8;
/** A sample's weight in the fit falls with the square of (its delay beyond the least + this). */
const WEIGHT_DELAY_S = 50e-6;

export interface Sample {
  /** Host time of the exchange's end, Unix ns. */
  hostNs: bigint;
  /** Source minus host clock, seconds. */
  offsetS: number;
  /** Round-trip delay, seconds. */
  delayS: number;
}

export interface Estimate {
  /** The least-delayed sample (its delay goes into the root delay). */
  best: Sample;
  /** Source minus host clock at `atNs` (the newest sample's time), from the fit, seconds. */
  offsetS: number;
  atNs: bigint;
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
    const newest = usable[usable.length - 1]!.hostNs;
    // Weight 1 / (excess delay + WEIGHT_DELAY_S)²: the offset error of a sample is up to half its excess delay.
    const ws = usable.map((s) => 1 / (s.delayS - best.delayS + WEIGHT_DELAY_S) ** 2);
    const xs = usable.map((s) => Number(s.hostNs - newest) / 1e9);
    const ys = usable.map((s) => s.offsetS);
    const n = xs.length;
    const sw = ws.reduce((a, w) => a + w, 0);
    const mx = xs.reduce((a, x, i) => a + ws[i]! * x, 0) / sw;
    const my = ys.reduce((a, y, i) => a + ws[i]! * y, 0) / sw;
    const sxx = xs.reduce((a, x, i) => a + ws[i]! * (x - mx) ** 2, 0);
    const sxy = xs.reduce((a, x, i) => a + ws[i]! * (x - mx) * (ys[i]! - my), 0);
    // Fewer than 3 samples or under 2 s of span say nothing reliable about frequency.
    const freq = n >= 3 && -xs[0]! >= 2 && sxx > 0 ? sxy / sxx : undefined;
    // At the newest sample (x = 0): the weighted mean carried along the slope; without a slope, the weighted mean.
    const offsetS = my + (freq ?? 0) * (0 - mx);
    const jitterS = Math.sqrt(ys.reduce((a, y, i) => a + (y - (my + (freq ?? 0) * (xs[i]! - mx))) ** 2, 0) / n);
    return { best, offsetS, atNs: newest, freq, jitterS };
  }
}
