// DNS worker processes (config dns.workers): node:cluster hands every worker
// the same bound UDP socket, so the kernel spreads datagrams over them and
// answering scales past one event loop — the one a node also spends on
// replication, health checks and TCP. A worker answers from its own packet
// cache; a miss (or anything it cannot judge) comes here over IPC and is
// answered by the node's QueryHandler, which says whether and how long the
// bytes may be cached. Data changes are broadcast as "clear". A worker that
// dies is restarted with backoff; workers exit when the node process does.

import cluster, { type Worker } from 'node:cluster';
import path from 'node:path';
import { Backoff } from '../../kernel/backoff';
import type { Clock, Timer } from '../../kernel/clock';
import type { HostPort } from '../../kernel/host-port';
import type { Logger } from '../../kernel/log';
import type { Answered, QueryHandler } from './query-handler';

/** Given to a worker in its environment (STRATA_DNS_WORKER, JSON). */
export interface WorkerSettings {
  host: string;
  port: number;
  recursionFrom: readonly string[];
  maxEntries: number;
  /** The node's store (lmdb), opened read only: held zones are answered in the worker. Absent: everything goes to the node. */
  storeDir?: string;
  isCore: boolean;
}

export type FromWorker =
  | { type: 'ready'; port: number }
  | { type: 'failed'; code: string; message: string }
  | { type: 'query'; seq: number; message: Uint8Array; client: string }
  /** Answers sent without the node computing them (packet-cache hits, and misses that joined one already asked). */
  | { type: 'hits'; counts: Array<[rcode: number, n: number]> }
  /** Answers the worker computed itself from held zones, by RCODE, and messages it found malformed. */
  | { type: 'computed'; counts: Array<[rcode: number, n: number]>; malformed: number }
  /** The socket reported an error after binding (logged by the node; the worker goes on). */
  | { type: 'socket-error'; message: string }
  /** Something the node should log (the worker goes on). */
  | { type: 'warning'; message: string };

export type ToWorker =
  | ({ type: 'answer'; seq: number } & Answered)
  | { type: 'clear'; generation: number };

export const WORKER_ENV = 'STRATA_DNS_WORKER';

export interface DnsWorkersOptions {
  count: number;
  recursionFrom: readonly string[];
  maxEntries: number;
  /** The node's lmdb store, for workers to answer held zones from (read only). */
  storeDir?: string;
  isCore: boolean;
}

/** A worker's bind failure, shaped like the errno error dgram would have thrown here. */
export class WorkerListenError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export class DnsWorkers {
  /** Every worker forked and not yet exited, ready or not. */
  private readonly workers = new Set<Worker>();
  private readonly ready = new Set<Worker>();
  private readonly restarts = new Set<Timer>();
  private readonly backoff = new Backoff({ initialMs: 100, maxMs: 10_000 });
  private settings: WorkerSettings | undefined;
  private stopping = false;

  constructor(private readonly handler: QueryHandler, private readonly options: DnsWorkersOptions, private readonly logger: Logger, private readonly clock: Clock) {}

  /** Starts the workers on `address`; resolves with the bound port once all are serving. */
  async start(address: HostPort): Promise<number> {
    cluster.setupPrimary({ exec: path.join(__dirname, 'dns-worker.js'), serialization: 'advanced' });
    const { recursionFrom, maxEntries, storeDir, isCore } = this.options;
    const settings: WorkerSettings = { host: address.host, port: address.port, recursionFrom, maxEntries, ...(storeDir ? { storeDir } : {}), isCore };
    this.settings = settings;
    // Every worker binds the configured port — for port 0 too: node:cluster keys the shared
    // handle by it, so they all get the one socket the first bind made.
    const port = await this.fork();
    await Promise.all(Array.from({ length: this.options.count - 1 }, () => this.fork()));
    return port;
  }

  /** Tells every worker to empty its packet cache and start `generation`. */
  clear(generation: number): void {
    for (const worker of this.ready) send(worker, { type: 'clear', generation });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.restarts) timer.cancel();
    this.restarts.clear();
    await Promise.all(
      [...this.workers].map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            const force = this.clock.setTimeout(() => worker.process.kill('SIGKILL'), 2000);
            worker.once('exit', () => {
              force.cancel();
              resolve();
            });
            worker.kill();
          }),
      ),
    );
    this.workers.clear();
    this.ready.clear();
  }

  private fork(): Promise<number> {
    const worker = cluster.fork({ [WORKER_ENV]: JSON.stringify(this.settings) });
    this.workers.add(worker);
    // A worker that died with messages in flight makes send() fail (EPIPE): its exit is handled below.
    worker.on('error', (err) => this.logger.warn({ err, workerPid: worker.process.pid }, 'DNS worker IPC error'));
    return new Promise<number>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'ready':
            if (this.stopping) {
              worker.kill();
              return reject(new WorkerListenError('ESTOPPED', 'DNS workers are stopping'));
            }
            ready = true;
            this.ready.add(worker);
            this.backoff.reset();
            return resolve(message.port);
          case 'failed':
            return reject(new WorkerListenError(message.code, message.message));
          case 'query':
            return void this.answer(worker, message.seq, message.message, message.client);
          case 'hits':
            for (const [rcode, n] of message.counts) this.handler.countCached('udp', rcode, n);
            break;
          case 'computed':
            for (const [rcode, n] of message.counts) this.handler.countComputed('udp', rcode, n);
            if (message.malformed > 0) this.handler.countMalformed('udp', message.malformed);
            return;
          case 'warning':
            this.logger.warn({ workerPid: worker.process.pid }, message.message);
            break;
          case 'socket-error':
            return this.logger.warn({ workerPid: worker.process.pid, error: message.message }, 'DNS worker socket error');
        }
      });
      worker.once('exit', (code, signal) => {
        this.workers.delete(worker);
        this.ready.delete(worker);
        if (!ready) reject(new WorkerListenError('EWORKER', `DNS worker exited at start (code ${code}, signal ${signal})`));
        else if (!this.stopping) {
          this.logger.error({ workerPid: worker.process.pid, code, signal }, 'DNS worker process died; restarting it');
          this.restart();
        }
      });
    });
  }

  /** Replaces a worker that died after start, with backoff, until one comes up or the pool stops. */
  private restart(): void {
    const delayMs = this.backoff.nextDelayMs();
    const timer = this.clock.setTimeout(() => {
      this.restarts.delete(timer);
      if (this.stopping) return;
      this.fork().catch((err: unknown) => {
        this.logger.error({ err }, 'DNS worker could not be restarted; trying again');
        if (!this.stopping) this.restart();
      });
    }, delayMs);
    this.restarts.add(timer);
  }

  private async answer(worker: Worker, seq: number, message: Uint8Array, client: string): Promise<void> {
    let answered: Answered;
    try {
      answered = await this.handler.answer(Buffer.from(message.buffer, message.byteOffset, message.byteLength), client, 'udp');
    } catch (err) {
      this.logger.error({ err, client }, 'DNS query failed');
      answered = { replies: [] };
    }
    send(worker, { type: 'answer', seq, ...answered });
  }
}

function send(worker: Worker, message: ToWorker): void {
  if (worker.isConnected()) worker.send(message, () => undefined); // errors: see the worker's 'error' listener
}
