// A pool of worker processes (node:cluster) serving one socket for a node:
// DNS over UDP (naming/server/dns-workers.ts) and LDAP (directory/workers/).
// node:cluster hands every worker the same socket (UDP: the datagrams; TCP:
// the listening socket, each worker accepting from it), so serving scales
// past the node's one event loop. Each worker gets its
// settings as its first IPC message (never in its environment: they may
// hold a TLS key), says 'ready' with what it bound or 'failed' with the
// errno it met, and exits when the node process goes away. A worker that
// dies after start is replaced with backoff until one comes up or the pool
// stops.

import cluster, { type Worker } from 'node:cluster';
import { Backoff } from './backoff';
import type { Clock, Timer } from './clock';
import type { Logger } from './log';

/** The two messages every worker sends at start. */
export type StartMessage<Ready> = ({ type: 'ready' } & Ready) | { type: 'failed'; code: string; message: string };

/** A worker's bind failure, shaped like the errno error a listen in this process would have thrown. */
export class WorkerListenError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export interface WorkerPoolOptions<Settings, From> {
  /** For logs: 'DNS worker', 'LDAP worker'. */
  what: string;
  /** The worker's entry point (a compiled .js file). */
  exec: string;
  settings: Settings;
  /** Every message but 'ready' and 'failed'. */
  onMessage(worker: Worker, message: From): void;
  /** A worker came up (at start or as a replacement): e.g. tell it the current state. */
  onReady?(worker: Worker): void;
}

/** The settings message a worker waits for before anything else. */
export interface SettingsMessage<Settings> {
  type: 'settings';
  settings: Settings;
}

export class WorkerPool<Settings, Ready, From extends { type: string }, To> {
  /** Every worker forked and not yet exited, ready or not. */
  private readonly workers = new Set<Worker>();
  private readonly ready = new Set<Worker>();
  private readonly restarts = new Set<Timer>();
  private readonly backoff = new Backoff({ initialMs: 100, maxMs: 10_000 });
  private stopping = false;

  constructor(private readonly options: WorkerPoolOptions<Settings, From>, private readonly logger: Logger, private readonly clock: Clock) {}

  /**
   * Starts `count` workers; resolves with the first one's 'ready' message once
   * all are serving. The first is started alone: what it bound (a port asked
   * as 0) is what the others share.
   */
  async start(count: number): Promise<Ready> {
    const first = await this.fork();
    await Promise.all(Array.from({ length: count - 1 }, () => this.fork()));
    return first;
  }

  get size(): number {
    return this.ready.size;
  }

  send(worker: Worker, message: To): void {
    if (worker.isConnected()) worker.send(message as object, () => undefined); // errors: see the worker's 'error' listener
  }

  broadcast(message: To): void {
    for (const worker of this.ready) this.send(worker, message);
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

  private fork(): Promise<Ready> {
    const { what, exec, settings } = this.options;
    // Workers accept connections themselves from the shared socket, instead of the node accepting and
    // handing each over (round-robin): a node whose event loop is busy or stopped delays no new client, and
    // a connection handed to a worker that just died is not lost with it. Read once, at the first setupPrimary.
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    // setupPrimary is process-wide and read at fork: set it for every fork, as other pools may have set theirs.
    cluster.setupPrimary({ exec, serialization: 'advanced' });
    const worker = cluster.fork();
    this.workers.add(worker);
    const first: SettingsMessage<Settings> = { type: 'settings', settings };
    worker.send(first, () => undefined);
    // A worker that died with messages in flight makes send() fail (EPIPE): its exit is handled below.
    worker.on('error', (err) => this.logger.warn({ err, workerPid: worker.process.pid }, `${what} IPC error`));
    return new Promise<Ready>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: StartMessage<Ready> | From) => {
        if (message.type === 'ready') {
          if (this.stopping) {
            worker.kill();
            return reject(new WorkerListenError('ESTOPPED', `${what}s are stopping`));
          }
          ready = true;
          this.ready.add(worker);
          this.backoff.reset();
          this.options.onReady?.(worker);
          return resolve(message as { type: 'ready' } & Ready);
        }
        if (message.type === 'failed') {
          const failed = message as { code: string; message: string };
          return reject(new WorkerListenError(failed.code, failed.message));
        }
        this.options.onMessage(worker, message as From);
      });
      worker.once('exit', (code, signal) => {
        this.workers.delete(worker);
        this.ready.delete(worker);
        if (!ready) reject(new WorkerListenError('EWORKER', `${what} exited at start (code ${code}, signal ${signal})`));
        else if (!this.stopping) {
          this.logger.error({ workerPid: worker.process.pid, code, signal }, `${what} process died; restarting it`);
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
        this.logger.error({ err }, `${this.options.what} could not be restarted; trying again`);
        if (!this.stopping) this.restart();
      });
    }, delayMs);
    this.restarts.add(timer);
  }
}

/** In a worker: the settings the pool sends first (exits with a clear message when not run by a pool). */
export function settingsFromPool<Settings>(what: string): Promise<Settings> {
  if (!process.send) {
    process.stderr.write(`${what}: started without its settings; it is run by a Strata node, not by hand\n`);
    process.exit(2);
  }
  // From the start, not once set up: a node that dies while its worker opens a store or binds takes the worker with it.
  process.on('disconnect', () => process.exit(0));
  return new Promise((resolve) => {
    const first = (message: SettingsMessage<Settings>): void => {
      if (message?.type !== 'settings') return;
      process.off('message', first);
      resolve(message.settings);
    };
    process.on('message', first);
  });
}

/**
 * A worker that cannot go on: tells the node why and exits once the message has left (exiting at
 * once could drop it). Never resolves: `await` it where the worker must not go further.
 */
export function exitTelling(message: unknown, code = 1): Promise<never> {
  if (process.connected && process.send) process.send(message, undefined, {}, () => process.exit(code));
  else process.exit(code);
  return new Promise<never>(() => undefined);
}
