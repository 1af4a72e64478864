// Prometheus metrics (prom-client), one registry per node so several nodes
// can live in one test process. Components ask for their counters and gauges
// here; only the ops HTTP listener renders them.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type { Counter, Gauge, Histogram };

/** How often the event loop's lag is sampled (strata_nodejs_eventloop_lag_*). */
export const EVENT_LOOP_SAMPLE_MS = 100;

export class Metrics {
  readonly registry = new Registry();

  constructor(defaultLabels: Record<string, string>, withProcessMetrics: boolean) {
    this.registry.setDefaultLabels(defaultLabels);
    if (withProcessMetrics) {
      // The event-loop lag histogram samples on a timer: prom-client's default of every 10 ms woke each
      // idle node 100 times a second, most of its idle CPU. Every 100 ms still gives ~150 samples a scrape.
      collectDefaultMetrics({ register: this.registry, prefix: 'strata_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
      // Gauges named like counters (promtool rejects a gauge ending in _total); each is the sum of the per-type gauge without it.
      for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) this.registry.removeSingleMetric(`strata_${name}`);
    }
  }

  /** `collect`: runs at every scrape, before the counter is read (to fold in counts kept elsewhere, e.g. another thread). */
  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = [], collect?: () => void): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry], ...(collect ? { collect } : {}) });
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = [], collect?: (this: Gauge<L>) => void): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry], ...(collect ? { collect } : {}) });
  }

  histogram<L extends string>(name: string, help: string, buckets: number[], labelNames: readonly L[] = []): Histogram<L> {
    return new Histogram({ name, help, buckets, labelNames, registers: [this.registry] });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
