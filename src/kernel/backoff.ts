// Exponential backoff with full jitter ("decorrelated" retries so that many
// children losing one parent do not reconnect in lockstep). Pure: the caller
// owns the timer; randomness is injectable for tests.

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  multiplier?: number;
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly multiplier: number;
  private readonly random: () => number;

  constructor(private readonly options: BackoffOptions) {
    this.multiplier = options.multiplier ?? 2;
    this.random = options.random ?? Math.random;
  }

  /** Delay before the next attempt: uniform in [ceiling/2, ceiling], ceiling growing per attempt. */
  nextDelayMs(): number {
    const ceiling = Math.min(this.options.maxMs, this.options.initialMs * this.multiplier ** this.attempt);
    this.attempt++;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
