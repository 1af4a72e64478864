// Gives back the garbage an idle node process piles up. V8 collects its old
// generation when it reaches a limit set after the last full collection, at
// least 8 MB above the live data (its smallest step), so a node that only
// heartbeats — timers, status reports, the NTP board — creeps up ~1 MB a
// minute and drops every several minutes: an idle site's RSS swung between
// ~84 and ~92 MB (issue 13). Browsers tell V8 when a tab goes idle and its
// memory reducer collects; Node never does. So every IDLE_GC_CHECK_MS, if
// the event loop was idle since the last check and the heap grew by
// IDLE_GC_GROWTH_BYTES since the last full collection, this runs one, compacting
// (~20 ms on a site's heap). A busy process is left to V8's own heuristics.

import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Clock, Timer } from './clock';

export const IDLE_GC_CHECK_MS = 30_000;
/** Event loop busy under this share of the time since the last check: idle. */
export const IDLE_GC_MAX_UTILISATION = 0.05;
export const IDLE_GC_GROWTH_BYTES = 2 * 1024 * 1024;

export interface HeapProbes {
  /** Bytes of the heap in use now. */
  heapUsed(): number;
  /** Share of the time the event loop was busy since the previous call (0–1). */
  utilisation(): number;
  /** A full garbage collection, now. */
  collect(): void;
}

export class IdleCollector {
  private timer: Timer | undefined;
  private baseline: number;
  collections = 0;

  constructor(private readonly clock: Clock, private readonly probes: HeapProbes = processProbes()) {
    this.baseline = probes.heapUsed();
  }

  start(): this {
    this.baseline = this.probes.heapUsed();
    this.probes.utilisation();
    this.timer = this.clock.setInterval(() => this.check(), IDLE_GC_CHECK_MS).unref();
    return this;
  }

  stop(): void {
    this.timer?.cancel();
  }

  check(): void {
    const busy = this.probes.utilisation();
    const used = this.probes.heapUsed();
    // V8 collected on its own meanwhile: start again from there.
    if (used < this.baseline) this.baseline = used;
    if (busy >= IDLE_GC_MAX_UTILISATION || used - this.baseline < IDLE_GC_GROWTH_BYTES) return;
    this.probes.collect();
    this.collections++;
    this.baseline = this.probes.heapUsed();
  }
}

/** This process's heap and event loop; `collect` is V8's gc() (reached without --expose-gc on the command line), compacting. */
function processProbes(): HeapProbes {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  return {
    heapUsed: () => v8.getHeapStatistics().used_heap_size,
    utilisation: () => {
      const now = performance.eventLoopUtilization();
      const since = performance.eventLoopUtilization(now, last);
      last = now;
      return since.utilization;
    },
    // Compacting moves what lives out of half-empty pages, which V8 then gives back: without it the
    // collection frees objects but the heap keeps its size (a site's stayed ~4 MB over what it held).
    collect: () => {
      v8.setFlagsFromString('--compact-on-every-full-gc');
      try {
        gc();
      } finally {
        v8.setFlagsFromString('--no-compact-on-every-full-gc');
      }
    },
  };
}
