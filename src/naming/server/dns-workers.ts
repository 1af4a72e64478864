// DNS worker processes (config dns.workers): node:cluster hands every worker
// the same bound UDP socket, so the kernel spreads datagrams over them and
// answering scales past one event loop — the one a node also spends on
// replication, health checks and TCP. A worker answers from its own packet
// cache; a miss (or anything it cannot judge) comes here over IPC and is
// answered by the node's QueryHandler, which says whether and how long the
// bytes may be cached. Data changes are broadcast as "clear". A worker that
// dies is restarted with backoff; workers exit when the node process does.

import type { Worker } from 'node:cluster';
import path from 'node:path';
import type { Clock } from '../../kernel/clock';
import type { HostPort } from '../../kernel/host-port';
import type { Logger } from '../../kernel/log';
import { WorkerPool } from '../../kernel/worker-pool';
import type { Answered, QueryHandler } from './query-handler';

/** Given to a worker as its first message (kernel/worker-pool.ts). */
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

export interface DnsWorkersOptions {
  count: number;
  recursionFrom: readonly string[];
  maxEntries: number;
  /** The node's lmdb store, for workers to answer held zones from (read only). */
  storeDir?: string;
  isCore: boolean;
}


export class DnsWorkers {
  private pool: WorkerPool<WorkerSettings, { port: number }, FromWorker, ToWorker> | undefined;

  constructor(private readonly handler: QueryHandler, private readonly options: DnsWorkersOptions, private readonly logger: Logger, private readonly clock: Clock) {}

  /** Starts the workers on `address`; resolves with the bound port once all are serving. */
  async start(address: HostPort): Promise<number> {
    const { recursionFrom, maxEntries, storeDir, isCore } = this.options;
    // Every worker binds the configured port — for port 0 too: node:cluster keys the shared
    // handle by it, so they all get the one socket the first bind made.
    const settings: WorkerSettings = { host: address.host, port: address.port, recursionFrom, maxEntries, ...(storeDir ? { storeDir } : {}), isCore };
    this.pool = new WorkerPool({ what: 'DNS worker', exec: path.join(__dirname, 'dns-worker.js'), settings, onMessage: (worker, message) => this.onMessage(worker, message) }, this.logger, this.clock);
    return (await this.pool.start(this.options.count)).port;
  }

  /** Tells every worker to empty its packet cache and start `generation`. */
  clear(generation: number): void {
    this.pool?.broadcast({ type: 'clear', generation });
  }

  async stop(): Promise<void> {
    await this.pool?.stop();
  }

  private onMessage(worker: Worker, message: FromWorker): void {
    switch (message.type) {
      case 'query':
        return void this.answer(worker, message.seq, message.message, message.client);
      case 'hits':
        for (const [rcode, n] of message.counts) this.handler.countCached('udp', rcode, n);
        return;
      case 'computed':
        for (const [rcode, n] of message.counts) this.handler.countComputed('udp', rcode, n);
        if (message.malformed > 0) this.handler.countMalformed('udp', message.malformed);
        return;
      case 'warning':
        return this.logger.warn({ workerPid: worker.process.pid }, message.message);
      case 'socket-error':
        return this.logger.warn({ workerPid: worker.process.pid, error: message.message }, 'DNS worker socket error');
    }
  }

  private async answer(worker: Worker, seq: number, message: Uint8Array, client: string): Promise<void> {
    let answered: Answered;
    try {
      answered = await this.handler.answer(Buffer.from(message.buffer, message.byteOffset, message.byteLength), client, 'udp');
    } catch (err) {
      this.logger.error({ err, client }, 'DNS query failed');
      answered = { replies: [] };
    }
    this.pool?.send(worker, { type: 'answer', seq, ...answered });
  }
}
