// The tight local loop (DESIGN §4): the node that owns service instances
// checks them — TCP connect, HTTP GET, or a TTL that registered clients must
// refresh — and writes a change only when an instance's health flips, so
// health replicates like any change. Probes only ever target the address and
// port that were registered.

import http from 'node:http';
import net from 'node:net';
import type { Clock, Timer } from '../../kernel/clock';
import type { Logger } from '../../kernel/log';
import type { Store } from '../../store';
import { passKey, servicesDataset, type Instance } from './services';

export class HealthChecker {
  private readonly timers = new Map<string, { timer: Timer; intervalMs: number }>();
  private unsubscribe: (() => void) | undefined;
  private readonly dataset: string;

  constructor(private readonly store: Store, nodeName: string, private readonly clock: Clock, private readonly logger: Logger) {
    this.dataset = servicesDataset(nodeName);
  }

  start(): void {
    this.unsubscribe = this.store.onChange((names) => {
      if (names.includes(this.dataset)) this.reconcile();
    });
    this.reconcile();
  }

  stop(): void {
    this.unsubscribe?.();
    for (const { timer } of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  /** One timer per instance, matching its check interval. */
  private reconcile(): void {
    const info = this.store.dataset(this.dataset);
    const instances = info?.role === 'owner' ? this.store.entries(this.dataset).filter((e) => !e.key.startsWith('maint:') && !e.key.startsWith('pass:')) : [];
    const keys = new Set(instances.map((e) => e.key));
    for (const [key, entry] of this.timers) {
      if (!keys.has(key)) {
        entry.timer.cancel();
        this.timers.delete(key);
      }
    }
    for (const { key, value } of instances) {
      const intervalMs = (value as Instance).check.intervalMs;
      const existing = this.timers.get(key);
      if (existing?.intervalMs === intervalMs) continue;
      existing?.timer.cancel();
      this.timers.set(key, { intervalMs, timer: this.clock.setInterval(() => void this.check(key), intervalMs).unref() });
      void this.check(key);
    }
  }

  private async check(key: string): Promise<void> {
    const registered = this.store.get(this.dataset, key) as Instance | undefined;
    if (!registered) return;
    const lastPass = Math.max((this.store.get(this.dataset, passKey(key)) as number | undefined) ?? 0, (this.store.get(this.dataset, passKey(registered.service)) as number | undefined) ?? 0);
    const instance = { ...registered, lastPassMs: Math.max(registered.lastPassMs, lastPass) };
    const result = await probe(instance, this.clock).catch((err: Error) => ({ healthy: false, error: err.message }));
    const current = this.store.get(this.dataset, key) as Instance | undefined;
    if (!current || current.healthy === result.healthy) return;
    const next: Instance = { ...current, healthy: result.healthy, lastPassMs: result.healthy ? this.clock.nowMs() : current.lastPassMs, lastError: result.error };
    this.logger.info({ service: current.service, instance: current.id, healthy: result.healthy, error: result.error }, 'service health changed');
    await this.store.write(this.dataset, [{ op: 'put', key, value: next }]).catch((err: unknown) => this.logger.error({ err }, 'could not record service health'));
  }
}

export async function probe(instance: Instance, clock: Clock): Promise<{ healthy: boolean; error?: string }> {
  const { check } = instance;
  if (check.kind === 'ttl') {
    const fresh = clock.nowMs() - instance.lastPassMs <= (check.ttlMs ?? check.intervalMs * 3);
    return fresh ? { healthy: true } : { healthy: false, error: `no TTL pass for over ${check.ttlMs} ms` };
  }
  if (check.kind === 'tcp') return tcpProbe(instance.address, instance.port, check.timeoutMs, clock);
  return httpProbe(instance.address, instance.port, check.path ?? '/', check.timeoutMs, clock);
}

function tcpProbe(host: string, port: number, timeoutMs: number, clock: Clock): Promise<{ healthy: boolean; error?: string }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const timer = clock.setTimeout(() => done(false, `no TCP connect within ${timeoutMs} ms`), timeoutMs);
    const done = (healthy: boolean, error?: string): void => {
      timer.cancel();
      socket.destroy();
      resolve({ healthy, error });
    };
    socket.once('connect', () => done(true));
    socket.once('error', (err: NodeJS.ErrnoException) => done(false, `TCP connect failed: ${err.code ?? err.message}`));
  });
}

function httpProbe(host: string, port: number, path: string, timeoutMs: number, clock: Clock): Promise<{ healthy: boolean; error?: string }> {
  return new Promise((resolve) => {
    const request = http.get({ host, port, path, agent: false }, (response) => {
      response.resume();
      const ok = (response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 400;
      done(ok, ok ? undefined : `HTTP ${response.statusCode}`);
    });
    const timer = clock.setTimeout(() => done(false, `no HTTP answer within ${timeoutMs} ms`), timeoutMs);
    let finished = false;
    const done = (healthy: boolean, error?: string): void => {
      if (finished) return;
      finished = true;
      timer.cancel();
      request.destroy();
      resolve({ healthy, error });
    };
    request.once('error', (err: NodeJS.ErrnoException) => done(false, `HTTP GET failed: ${err.code ?? err.message}`));
  });
}
