// The directory of one node: the tree it holds, access rules, bind throttle
// and the LDAP listener, started in that order and stopped in reverse. It
// seeds the subtree this node owns once the base DN is known (at once at the
// core; after the first link elsewhere). LDAPS is not served yet.

import type { Clock, Timer } from '../kernel/clock';
import type { HostPort } from '../kernel/host-port';
import type { Logger } from '../kernel/log';
import type { Metrics } from '../kernel/metrics';
import { KeyedLock } from '../kernel/keyed-lock';
import type { Mutation, Store } from '../store';
import { Access } from './security/access';
import { BindThrottle, DEFAULT_THROTTLE, type ThrottleSettings } from './security/bind-throttle';
import type { DirectoryContext, DirectoryLimits } from './operations/context';
import { LdapListener, type LdapListenerEvents } from './protocol/ldapjs-adapter';
import { LdapWorkers } from './workers/ldap-workers';
import { WorkerListenError } from '../kernel/worker-pool';
import { ListenError } from '../kernel/errors';
import type { ChainedAnswer, DirectoryPorts } from './ports';
import { checkMutations } from './security/owner-check';
import { deleteEntry, listEntries, putEntries } from './data/admin';
import { checkPassword } from './operations/bind';
import type { CredentialRule } from './security/credentials';
import type { DirEntry } from './data/entry';
import { seedOwnSubtree } from './data/seed';
import { DirectoryTree } from './data/tree';

export interface DirectoryConfig {
  listen: HostPort;
  /** LDAPS: where, and the server's key and certificate (PEM). */
  ldaps?: { listen: HostPort; key: string; cert: string };
  limits: DirectoryLimits;
  /** Largest request accepted (ber-frames.ts). */
  maxMessageBytes?: number;
  /** Core only: the directory admin's password (cleartext or a {SCHEME} hash). */
  adminPassword: string | undefined;
  /** Core only: which password hashes replicate how far down (credentials.ts). */
  credentialPolicy?: readonly CredentialRule[];
  throttle?: ThrottleSettings;
  /** Attributes indexed besides DEFAULT_INDEXED (indexes.ts); the store must be opened with directoryIndexer() of the same list. */
  indexes?: readonly string[];
  /** Worker processes serving LDAP and LDAPS over the store read only (workers/); 0: this process serves. */
  workers?: number;
}

const SEED_RETRY_MS = 1000;

export class Directory {
  readonly tree: DirectoryTree;
  private readonly listener: LdapListener;
  private readonly tlsListener: LdapListener | undefined;
  private readonly ctx: DirectoryContext;
  private readonly throttle: BindThrottle;
  private readonly events: LdapListenerEvents;
  private workers: LdapWorkers | undefined;
  private seedTimer: Timer | undefined;
  private seeded = false;

  constructor(private readonly config: DirectoryConfig, private readonly store: Store, private readonly ports: DirectoryPorts, private readonly clock: Clock, private readonly logger: Logger, metrics: Metrics) {
    this.tree = new DirectoryTree(store, () => ports.baseDn(), config.indexes);
    this.throttle = new BindThrottle(clock, config.throttle ?? DEFAULT_THROTTLE);
    const ctx: DirectoryContext = (this.ctx = {
      tree: this.tree,
      access: new Access(this.tree),
      ports,
      clock,
      throttle: this.throttle,
      passwordChecks: new KeyedLock(),
      limits: config.limits,
      logger,
    });
    const operations = metrics.counter('strata_ldap_operations_total', 'LDAP operations by result code', ['operation', 'code']);
    const malformed = metrics.counter('strata_ldap_malformed_total', 'LDAP messages that could not be parsed');
    const events = (this.events = {
      operation: (name: string, code: number, count = 1) => operations.inc({ operation: name, code: String(code) }, count),
      malformed: (err: unknown, count = 1) => {
        malformed.inc(count);
        logger.debug({ err }, 'malformed LDAP message');
      },
    });
    const options = { maxMessageBytes: config.maxMessageBytes };
    this.listener = new LdapListener(ctx, events, options);
    this.tlsListener = config.ldaps && new LdapListener(ctx, events, options, config.ldaps);
  }

  /** Starts serving; resolves with the LDAP port and the LDAPS port (if configured). */
  async start(): Promise<{ ldap: number; ldaps: number | undefined }> {
    await this.seed();
    if (!this.seeded) this.seedTimer = this.clock.setInterval(() => void this.seed(), SEED_RETRY_MS).unref();
    try {
      const served = await this.startWorkers();
      if (served) return served;
      const ldap = await this.listener.listen(this.config.listen.host, this.config.listen.port, 'listen.ldap');
      const ldaps = this.config.ldaps && (await this.tlsListener!.listen(this.config.ldaps.listen.host, this.config.ldaps.listen.port, 'listen.ldaps'));
      return { ldap, ldaps };
    } catch (err) {
      await this.stop(); // nothing half-started is left behind
      throw err;
    }
  }

  /**
   * With directory.workers, LDAP and LDAPS served by worker processes; undefined
   * when there are none, or when they cannot read the store (this process serves).
   */
  private async startWorkers(): Promise<{ ldap: number; ldaps: number | undefined } | undefined> {
    const count = this.config.workers ?? 0;
    if (count === 0) return undefined;
    const { listen, ldaps, limits, maxMessageBytes, indexes = [] } = this.config;
    const workers = (this.workers = new LdapWorkers({ listen, ...(ldaps ? { ldaps } : {}), limits, maxMessageBytes, indexes, logLevel: this.logger.level }, this.store, this.ports, this.throttle, this.events, this.logger, this.clock));
    try {
      const ready = await workers.start(count);
      this.logger.info({ workers: count }, 'LDAP served by worker processes');
      return { ldap: ready.ldap, ldaps: ready.ldaps };
    } catch (err) {
      await workers.stop();
      this.workers = undefined;
      if (err instanceof WorkerListenError && err.code === 'ESTORE') {
        this.logger.warn({ err }, 'LDAP workers cannot read the store: this process serves LDAP');
        return undefined;
      }
      throw err instanceof WorkerListenError ? new ListenError(err.message) : err;
    }
  }

  async stop(): Promise<void> {
    this.seedTimer?.cancel();
    await this.workers?.stop();
    await this.tlsListener?.close();
    await this.listener.close();
    this.tree.close();
  }

  /** A chained bind from a child node: 'ok' (with the ticket of a check made further up, if any), 'invalid', 'locked' or 'unavailable'. */
  checkPassword(dn: string, password: string, hops: number): Promise<ChainedAnswer> {
    return checkPassword(this.ctx, dn, password, hops);
  }

  /** At the owner: may `principalDn` make these changes to `dataset` (a write forwarded from another node)? undefined if so, else why not. */
  checkForwarded(principalDn: string, dataset: string, mutations: Mutation[]): string | undefined {
    return checkMutations(this.ctx.access, principalDn, mutations, (key) => this.store.get(dataset, key));
  }

  /** An entry as stored here (no hashes) for a child chaining a write; asked further up when not held here. */
  async getEntry(dn: string, hops: number): Promise<{ entry: DirEntry | undefined; hasChildren: boolean }> {
    const place = this.tree.place(dn);
    if (!place) return { entry: undefined, hasChildren: false };
    if (!this.tree.holds(place)) return this.ports.fetchEntry(dn, hops);
    return { entry: this.tree.getStored(dn), hasChildren: this.tree.hasChildren(dn) };
  }

  putEntries(entries: DirEntry[], replace: boolean): Promise<{ added: number; replaced: number }> {
    return putEntries(this.ctx, entries, replace);
  }

  deleteEntry(dn: string): Promise<void> {
    return deleteEntry(this.ctx, dn);
  }

  listEntries(base: string, secrets: boolean): DirEntry[] {
    return listEntries(this.ctx, base, secrets);
  }

  private async seed(): Promise<void> {
    const base = this.ports.baseDn();
    if (this.seeded || base === undefined) return;
    try {
      await seedOwnSubtree(this.store, this.ports.nodeName, this.ports.isCore, base, { adminPassword: this.config.adminPassword, credentialPolicy: this.config.credentialPolicy });
      this.seeded = true;
      this.seedTimer?.cancel();
    } catch (err) {
      this.logger.warn({ err }, 'could not create this node\'s directory subtree; will retry');
    }
  }
}
