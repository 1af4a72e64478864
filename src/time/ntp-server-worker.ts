// The NTP server as the node runs it: the socket and every timestamp in a
// worker thread (ntp-worker.ts), answering from a ServedBoard this side
// publishes — at every change of the correction and every PUBLISH_MS, so
// leap and stratum follow within that (the worker adds the dispersion's
// growth since the publication itself). Counts the worker's
// requests into the node's metrics. Same surface as NtpServer (the in-thread
// server, kept for fake-clock tests, which a worker cannot share).

import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Clock, Timer } from '../kernel/clock';
import type { HostPort } from '../kernel/host-port';
import type { Logger } from '../kernel/log';
import type { HostTime } from './host-time';
import { listenFailure, type NtpMetrics } from './ntp-server';
import type { ExchangeOptions, Exchanged } from './ntp-exchange';
import type { NtpWorkerData, NtpWorkerMessage, NtpWorkerRequest } from './ntp-worker';
import { COUNTED, ServedBoard, type BoardView, type CountedResult } from './served-board';

/**
 * 1 s: every change of the correction is published at once, and the dispersion is extrapolated by the worker,
 * so what waits for this is a leap or stratum change without one (holdover running out of distance). At 100 ms it
 * was half of an idle node's wake-ups and of the garbage it promoted to the old generation (issue 13).
 */
export const PUBLISH_MS = 1000;

/**
 * The NTP thread allocates a few small objects per request: a young generation of 1 MB (V8's default
 * grows to 16 MB per semispace, all of it touched under load and kept resident) and a small old one.
 */
const NTP_WORKER_LIMITS = { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 32 };

export class NtpWorkerServer {
  private readonly board = new ServedBoard();
  private worker: Worker | undefined;
  private timer: Timer | undefined;
  private counted: Record<CountedResult, number> = { answered: 0, unsynchronised: 0, malformed: 0, ignored: 0 };
  private nextExchange = 1;
  private readonly exchanges = new Map<number, (result: Exchanged | undefined) => void>();

  /** `snapshot`: what to serve now (publishedHostNs: the host time it was taken). */
  constructor(private readonly snapshot: () => BoardView, private readonly host: HostTime, private readonly metrics: NtpMetrics, private readonly clock: Clock, private readonly logger: Logger) {}

  async listen(address: HostPort): Promise<number> {
    this.publish();
    const workerData: NtpWorkerData = { board: this.board.buffer, host: address.host, port: address.port, hostParams: this.host.params() };
    const worker = new Worker(path.join(__dirname, 'ntp-worker.js'), { workerData, resourceLimits: NTP_WORKER_LIMITS });
    this.worker = worker;
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (message: NtpWorkerMessage) => {
        if (message.kind === 'listening') resolve(message.port);
        else if (message.kind === 'listen-error') reject(listenFailure(address, message));
        else reject(listenFailure(address, { message: message.kind === 'error' ? message.message : 'the NTP worker did not start' }));
      });
    }).catch(async (err: unknown) => {
      await worker.terminate();
      this.worker = undefined;
      throw err;
    });
    worker.on('message', (message: NtpWorkerMessage) => {
      if (message.kind === 'error') this.logger.error({ err: message.message }, 'NTP socket error');
      if (message.kind === 'exchanged') this.settle(message.id, message.result && { ...message.result, state: { ...message.result.state, refId: Buffer.from(message.result.state.refId) } });
    });
    worker.on('error', (err) => this.logger.error({ err }, 'NTP worker failed'));
    this.timer = this.clock.setInterval(() => this.publish(), PUBLISH_MS).unref();
    return port;
  }

  /** An exchange with a source, made by the worker (t1 and t4 taken off the node's event loop); undefined without a usable answer. */
  exchange(address: HostPort, options: ExchangeOptions): Promise<Exchanged | undefined> {
    const worker = this.worker;
    if (!worker) return Promise.resolve(undefined);
    const id = this.nextExchange++;
    return new Promise((resolve) => {
      this.exchanges.set(id, resolve);
      // The worker times the exchange out itself; this is only a backstop should it die meanwhile.
      this.clock.setTimeout(() => this.settle(id, undefined), options.timeoutMs + 1000).unref();
      worker.postMessage({ kind: 'exchange', id, address: { host: address.host, port: address.port }, options: { ...options } } satisfies NtpWorkerRequest);
    });
  }

  private settle(id: number, result: Exchanged | undefined): void {
    const resolve = this.exchanges.get(id);
    this.exchanges.delete(id);
    resolve?.(result);
  }

  /** Publishes what to serve now, and counts the requests the worker answered since the last time. */
  publish(): void {
    this.board.publish(this.snapshot());
    this.foldCounts();
  }

  /** Adds the requests the worker counted since the last call to the node's metrics (also at every scrape). */
  foldCounts(): void {
    const now = this.board.counts();
    for (const result of COUNTED) {
      const delta = now[result] - this.counted[result];
      if (delta > 0) this.metrics.requests.inc({ result }, delta);
    }
    this.counted = now;
  }

  /** Resolves once the worker (and its socket) is gone. */
  async close(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    this.publish();
    for (const id of [...this.exchanges.keys()]) this.settle(id, undefined);
    await worker.terminate();
  }
}
