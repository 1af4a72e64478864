// Prometheus metrics (prom-client), one registry per node so several nodes
// can live in one test process. Components ask for their counters and gauges
// here; only the ops HTTP listener renders them.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type { Counter, Gauge, Histogram };

export class Metrics {
  readonly registry = new Registry();

  constructor(defaultLabels: Record<string, string>, withProcessMetrics: boolean) {
    this.registry.setDefaultLabels(defaultLabels);
    if (withProcessMetrics) {
      collectDefaultMetrics({ register: this.registry, prefix: 'strata_' });
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
