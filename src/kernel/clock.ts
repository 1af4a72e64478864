// Time for the whole program. This is the only module that reads the wall
// clock, the monotonic clock or creates timers; everything else is handed a
// Clock so tests can swap in FakeClock and jump minutes in microseconds.
// It does not discipline time (that is src/time) — it only reports the host's.

export interface Timer {
  cancel(): void;
  /** Let the process exit while this timer is pending (no-op on FakeClock). */
  unref(): Timer;
}

export interface Clock {
  /** Wall-clock milliseconds since the Unix epoch. */
  nowMs(): number;
  /** Monotonic nanoseconds, only meaningful as differences. */
  monotonicNs(): bigint;
  /** Wall-clock nanoseconds since the Unix epoch, to the microsecond (nowMs() is whole milliseconds). */
  wallNs(): bigint;
  setTimeout(fn: () => void, delayMs: number): Timer;
  setInterval(fn: () => void, periodMs: number): Timer;
  sleep(delayMs: number): Promise<void>;
}

/** Milliseconds (fractional) since `startNs`, a clock.monotonicNs() reading. */
export function msSince(clock: Pick<Clock, 'monotonicNs'>, startNs: bigint): number {
  return Number(clock.monotonicNs() - startNs) / 1e6;
}

/** A tick of Date.now() seen within this of the last reading before it is taken as exact. */
const TICK_BRACKET_NS = 20_000n;
/** How long wallAtTick() looks for such a tick before settling for the best one seen. */
const TICK_SEARCH_NS = 5_000_000n;

/**
 * The wall clock, Unix ns, to the microsecond. Date.now() is exact at the
 * instant it ticks over to the next millisecond, and the tick happened
 * between the last reading that saw the old value and the one that saw the
 * new: wait for a tick seen within TICK_BRACKET_NS (a thread preempted in
 * between sees it late — a core once served 0.5 ms behind for good so), or
 * take the best bracket seen in TICK_SEARCH_NS; then carry it forward on the
 * monotonic clock. (performance.timeOrigin + performance.now() read ~5–30 µs
 * ahead of the system clock here, and a first read of timeOrigin took tens
 * of µs.) undefined when Date.now() did not tick at all.
 */
export function wallAtTick(read: { nowMs(): number; monoNs(): bigint }): bigint | undefined {
  const startNs = read.monoNs();
  let best: { wallNs: bigint; atNs: bigint; bracketNs: bigint } | undefined;
  // The monotonic time before the last Date.now() reading: a tick seen next happened after it.
  let sinceNs = startNs;
  let lastMs = read.nowMs();
  for (;;) {
    const beforeNs = read.monoNs();
    const ms = read.nowMs();
    if (ms !== lastMs) {
      const atNs = read.monoNs();
      const bracketNs = atNs - sinceNs;
      // The tick fell somewhere in the bracket: at atNs the wall clock is ms plus half of it, ± half.
      if (!best || bracketNs < best.bracketNs) best = { wallNs: BigInt(ms) * 1_000_000n + bracketNs / 2n, atNs, bracketNs };
      lastMs = ms;
    }
    if ((best && best.bracketNs <= TICK_BRACKET_NS) || beforeNs - startNs > TICK_SEARCH_NS) {
      return best && best.wallNs + (read.monoNs() - best.atNs);
    }
    sinceNs = beforeNs;
  }
}

export class SystemClock implements Clock {
  nowMs(): number {
    return Date.now();
  }

  monotonicNs(): bigint {
    return process.hrtime.bigint();
  }

  /**
   * The wall clock to the microsecond (wallAtTick): for anchoring (host-time.ts),
   * not hot paths — it waits for a tick of Date.now(), 1 ms or a few.
   */
  wallNs(): bigint {
    return wallAtTick({ nowMs: () => Date.now(), monoNs: () => process.hrtime.bigint() }) ?? BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6)); // a clock that does not tick
  }

  setTimeout(fn: () => void, delayMs: number): Timer {
    return wrapNodeTimer(setTimeout(fn, Math.max(0, delayMs)), clearTimeout);
  }

  setInterval(fn: () => void, periodMs: number): Timer {
    return wrapNodeTimer(setInterval(fn, Math.max(1, periodMs)), clearInterval);
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, delayMs)));
  }
}

function wrapNodeTimer(handle: NodeJS.Timeout, clear: (h: NodeJS.Timeout) => void): Timer {
  const timer: Timer = {
    cancel: () => clear(handle),
    unref: () => {
      handle.unref();
      return timer;
    },
  };
  return timer;
}

interface FakeTimer {
  id: number;
  dueMs: number;
  periodMs: number | undefined;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to. Timers fire in due-time order (ties in
 * creation order) with nowMs() set to their due time, so code under test sees
 * exactly the instants it asked for.
 */
export class FakeClock implements Clock {
  private currentMs: number;
  private monoOriginMs: number;
  private nextId = 1;
  private timers: FakeTimer[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.currentMs = startMs;
    this.monoOriginMs = startMs;
  }

  nowMs(): number {
    return this.currentMs;
  }

  monotonicNs(): bigint {
    return BigInt(Math.round((this.currentMs - this.monoOriginMs) * 1e6));
  }

  wallNs(): bigint {
    return BigInt(Math.round(this.currentMs * 1e6));
  }

  setTimeout(fn: () => void, delayMs: number): Timer {
    return this.schedule(fn, Math.max(0, delayMs), undefined);
  }

  setInterval(fn: () => void, periodMs: number): Timer {
    const period = Math.max(1, periodMs);
    return this.schedule(fn, period, period);
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, delayMs));
  }

  /** Number of timers still waiting to fire. */
  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** Move time forward by `ms`, firing every timer that falls due, synchronously. */
  advance(ms: number): void {
    const targetMs = this.currentMs + ms;
    for (let timer = this.nextDue(targetMs); timer; timer = this.nextDue(targetMs)) {
      this.fire(timer);
    }
    this.currentMs = targetMs;
  }

  /**
   * Like advance(), but lets promises settle after each timer, so async code
   * that awaits between timers (a retry loop, a sleep) runs as it would live.
   */
  async tick(ms: number): Promise<void> {
    const targetMs = this.currentMs + ms;
    await flushMicrotasks();
    for (let timer = this.nextDue(targetMs); timer; timer = this.nextDue(targetMs)) {
      this.fire(timer);
      await flushMicrotasks();
    }
    this.currentMs = targetMs;
  }

  /** Jump the wall clock without firing timers (a host clock step). */
  setWallMs(ms: number): void {
    this.monoOriginMs += ms - this.currentMs;
    this.currentMs = ms;
  }

  private schedule(fn: () => void, delayMs: number, periodMs: number | undefined): Timer {
    const entry: FakeTimer = { id: this.nextId++, dueMs: this.currentMs + delayMs, periodMs, fn, cancelled: false };
    this.timers.push(entry);
    const timer: Timer = {
      cancel: () => {
        entry.cancelled = true;
        this.timers = this.timers.filter((t) => t !== entry);
      },
      unref: () => timer,
    };
    return timer;
  }

  private nextDue(targetMs: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) {
      if (t.cancelled || t.dueMs > targetMs) continue;
      if (!best || t.dueMs < best.dueMs || (t.dueMs === best.dueMs && t.id < best.id)) best = t;
    }
    return best;
  }

  private fire(timer: FakeTimer): void {
    this.currentMs = Math.max(this.currentMs, timer.dueMs);
    if (timer.periodMs === undefined) {
      timer.cancelled = true;
      this.timers = this.timers.filter((t) => t !== timer);
    } else {
      timer.dueMs += timer.periodMs;
      timer.id = this.nextId++;
    }
    timer.fn();
  }
}

/** ISO 8601 text of a wall-clock time in ms (formats a given time; reads no clock). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** A Date for a wall-clock time in ms, for APIs that want one (gRPC deadlines). */
export function dateAt(ms: number): Date {
  return new Date(ms);
}

function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
