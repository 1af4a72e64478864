// LDAP worker processes (config directory.workers): node:cluster deals the
// LDAP and LDAPS connections round-robin to workers that each run the whole
// LDAP listener over the node's store opened read only (ldap-worker.ts), so
// binds and searches use every core instead of the node's one event loop.
// What only the node can do stays here, asked over IPC: writes (routed to
// their owner as the bound principal), entries and password checks asked up
// the tree, and the bind throttle, whose counts live here so a guesser gains
// nothing by spreading over workers (each worker mirrors the locks). Store
// changes are broadcast so workers read the new state at once; the base DN
// and the parent's LDAP URL are sent when they change.

import type { Worker } from 'node:cluster';
import path from 'node:path';
import type { Clock, Timer } from '../../kernel/clock';
import { errorMessage, StrataError } from '../../kernel/errors';
import type { HostPort } from '../../kernel/host-port';
import type { Logger } from '../../kernel/log';
import { WorkerPool } from '../../kernel/worker-pool';
import type { Mutation, Store } from '../../store';
import type { DirectoryLimits } from '../operations/context';
import type { LdapListenerEvents } from '../protocol/ldapjs-adapter';
import type { ChainedAnswer, DirectoryPorts, WritePrincipal } from '../ports';
import type { BindThrottle } from '../security/bind-throttle';
import type { DirEntry } from '../data/entry';

/** Sent to each worker as its first message. */
export interface LdapWorkerSettings {
  nodeName: string;
  isCore: boolean;
  storeDir: string;
  listen: HostPort;
  ldaps?: { listen: HostPort; key: string; cert: string };
  limits: DirectoryLimits;
  maxMessageBytes?: number;
  indexes: readonly string[];
  logLevel: string;
  state: WorkerState;
}

/** What workers need to know of the node and may change while they run. */
export interface WorkerState {
  baseDn: string | undefined;
  parentLdapUrl: string | undefined;
}

export type Call =
  | { method: 'write'; dataset: string; mutations: Mutation[]; ownerHint: string; principal: WritePrincipal | undefined }
  | { method: 'fetchEntry'; dn: string; hops: number }
  | { method: 'chainBind'; dn: string; password: string; hops: number };

export type FromLdapWorker =
  | { type: 'call'; seq: number; call: Call }
  | { type: 'bind-failed'; entry: string; address: string | undefined }
  | { type: 'bind-ok'; entry: string }
  /** Operations since the last report: [operation, result code, count]; and malformed messages. */
  | { type: 'counts'; operations: Array<[string, number, number]>; malformed: number };

export type ToLdapWorker =
  | { type: 'reply'; seq: number; ok: true; value: unknown }
  | { type: 'reply'; seq: number; ok: false; code: string; message: string }
  | { type: 'changed'; datasets: string[] }
  | { type: 'state'; state: WorkerState }
  /** The throttle's state for an entry (and an address) after a failure or a success; until 0: not locked. */
  | { type: 'throttle'; entry?: string; entryUntil?: number; entryFailing?: boolean; address?: string; addressUntil?: number };

export type LdapWorkersReady = { ldap: number; ldaps?: number };

const STATE_CHECK_MS = 1000;

export class LdapWorkers {
  private pool: WorkerPool<LdapWorkerSettings, LdapWorkersReady, FromLdapWorker, ToLdapWorker> | undefined;
  private state: WorkerState;
  private stateTimer: Timer | undefined;
  private unsubscribe: (() => void) | undefined;
  private changedSoon: Set<string> | undefined;

  constructor(
    private readonly settings: Omit<LdapWorkerSettings, 'state' | 'storeDir' | 'nodeName' | 'isCore'>,
    private readonly store: Store,
    private readonly ports: DirectoryPorts,
    private readonly throttle: BindThrottle,
    private readonly events: LdapListenerEvents,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {
    this.state = this.currentState();
  }

  /** Starts `count` workers; resolves with the LDAP (and LDAPS) port once all serve. */
  async start(count: number): Promise<LdapWorkersReady> {
    const settings: LdapWorkerSettings = { ...this.settings, nodeName: this.ports.nodeName, isCore: this.ports.isCore, storeDir: this.store.dir, state: this.state };
    const pool: WorkerPool<LdapWorkerSettings, LdapWorkersReady, FromLdapWorker, ToLdapWorker> = (this.pool = new WorkerPool(
      {
        what: 'LDAP worker',
        exec: path.join(__dirname, 'ldap-worker.js'),
        settings,
        onMessage: (worker, message) => this.onMessage(worker, message),
        // A worker serves from listen() on but hears broadcasts only once ready: changes in between
        // (and since its settings were made) are told to it now, so it reads them and drops what it cached.
        // Likewise the throttle's locks and failing entries, which it mirrors from now on.
        onReady: (worker) => {
          pool.send(worker, { type: 'state', state: this.state });
          pool.send(worker, { type: 'changed', datasets: this.store.datasets().map((d) => d.name) });
          const { entries, addresses } = this.throttle.snapshot();
          for (const entry of entries) pool.send(worker, this.throttleState(entry, undefined));
          for (const address of addresses) pool.send(worker, { type: 'throttle', address, addressUntil: this.throttle.state('', address).addressUntil });
        },
      },
      this.logger,
      this.clock,
    ));
    this.unsubscribe = this.store.onChange((names) => this.changed(names));
    // Every change of the throttle, whether a worker's bind or one checked here (a child's chained bind), reaches the workers.
    this.throttle.onChange = (entry, address) => this.pool?.broadcast(this.throttleState(entry, address));
    this.stateTimer = this.clock.setInterval(() => this.checkState(), STATE_CHECK_MS).unref();
    return pool.start(count);
  }

  private throttleState(entry: string, address: string | undefined): ToLdapWorker {
    const state = this.throttle.state(entry, address);
    return { type: 'throttle', entry, entryUntil: state.entryUntil, entryFailing: state.entryFailing, ...(address !== undefined ? { address, addressUntil: state.addressUntil } : {}) };
  }

  async stop(): Promise<void> {
    this.throttle.onChange = undefined;
    this.stateTimer?.cancel();
    this.unsubscribe?.();
    await this.pool?.stop();
  }

  /**
   * Store commits, told to every worker once per turn of the event loop's microtasks. The state (base DN,
   * parent) is looked at then too, not only every STATE_CHECK_MS: a site learns its base DN as its first
   * directory datasets arrive, and a worker that binds cn=admin before it knows the base would take it
   * for an ordinary entry for the rest of that connection.
   */
  private changed(names: readonly string[]): void {
    if (this.changedSoon) {
      for (const name of names) this.changedSoon.add(name);
      return;
    }
    this.changedSoon = new Set(names);
    queueMicrotask(() => {
      this.checkState(); // before the datasets: a worker knows the base DN by the time it reads them
      const datasets = [...this.changedSoon!];
      this.changedSoon = undefined;
      this.pool?.broadcast({ type: 'changed', datasets });
    });
  }

  private currentState(): WorkerState {
    return { baseDn: this.ports.baseDn(), parentLdapUrl: this.ports.parentLdapUrl() };
  }

  private checkState(): void {
    const now = this.currentState();
    if (now.baseDn === this.state.baseDn && now.parentLdapUrl === this.state.parentLdapUrl) return;
    this.state = now;
    this.pool?.broadcast({ type: 'state', state: now });
  }

  private onMessage(worker: Worker, message: FromLdapWorker): void {
    switch (message.type) {
      case 'call':
        return void this.answer(worker, message.seq, message.call);
      // The throttle tells every worker its new state (onChange): the one that asked waits for that answer.
      case 'bind-failed':
        return this.throttle.failed(message.entry, message.address);
      case 'bind-ok':
        if (this.throttle.state(message.entry, undefined).entryFailing) return this.throttle.succeeded(message.entry);
        // Already cleared (say by a chained check): the worker that asked still hears it.
        return this.pool?.broadcast(this.throttleState(message.entry, undefined));
      case 'counts':
        for (const [operation, code, n] of message.operations) this.events.operation(operation, code, n);
        if (message.malformed > 0) this.events.malformed(new Error(`malformed LDAP messages at worker ${worker.process.pid}`), message.malformed);
        return;
    }
  }

  private async answer(worker: Worker, seq: number, call: Call): Promise<void> {
    try {
      const value = await this.run(call);
      this.pool?.send(worker, { type: 'reply', seq, ok: true, value });
    } catch (err) {
      const code = err instanceof StrataError ? err.code : 'INTERNAL';
      if (!(err instanceof StrataError)) this.logger.error({ err, method: call.method }, 'an LDAP worker\'s request failed at the node');
      this.pool?.send(worker, { type: 'reply', seq, ok: false, code, message: errorMessage(err) });
    }
  }

  private run(call: Call): Promise<void | ChainedAnswer | { entry: DirEntry | undefined; hasChildren: boolean }> {
    switch (call.method) {
      case 'write':
        return this.ports.asPrincipal(call.principal, () => this.ports.write(call.dataset, call.mutations, call.ownerHint));
      case 'fetchEntry':
        return this.ports.fetchEntry(call.dn, call.hops);
      case 'chainBind':
        return this.ports.chainBind(call.dn, call.password, call.hops);
    }
  }
}
