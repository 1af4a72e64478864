// Entry point of an LDAP worker process (see ldap-workers.ts): the node's
// LDAP (and LDAPS) listener, whole — binds, searches, compares, WhoAmI and
// every write's checks — over the node's store opened read only. Writes,
// entries and password checks asked up the tree, and bind failures go to the
// node over IPC; changes the node commits come back as 'changed' and are
// read at once. Exits when the node process goes away.

import { AsyncLocalStorage } from 'node:async_hooks';
import { SystemClock } from '../../kernel/clock';
import { StrataError, type ErrorCode } from '../../kernel/errors';
import { BoundedMap } from '../../kernel/bounded-map';
import { KeyedLock } from '../../kernel/keyed-lock';
import { createLogger, type LogLevel } from '../../kernel/log';
import { exitTelling, settingsFromPool, type StartMessage } from '../../kernel/worker-pool';
import { Store, type Mutation } from '../../store';
import { directoryIndexer } from '../data/indexes';
import { DirectoryTree } from '../data/tree';
import type { DirEntry } from '../data/entry';
import type { DirectoryContext } from '../operations/context';
import type { ChainedAnswer, DirectoryPorts, WritePrincipal } from '../ports';
import { LdapListener } from '../protocol/ldapjs-adapter';
import { Access } from '../security/access';
import type { Throttle } from '../security/bind-throttle';
import type { Call, FromLdapWorker, LdapWorkerSettings, LdapWorkersReady, ToLdapWorker, WorkerState } from './ldap-workers';

const REPORT_MS = 1000;
/** Entries and addresses whose throttle state the node sent; beyond this the oldest is forgotten (the node keeps the counts). */
const MAX_THROTTLE_KEYS = 100_000;
/** How long a failed bind waits for the node's throttle state before answering anyway (the node is gone or stopped). */
const HEARD_WAIT_MS = 250;

type Tell = (message: FromLdapWorker | StartMessage<LdapWorkersReady>) => void;

/** The node's throttle, mirrored: locks as the node last said, failures and successes reported to it. */
class ThrottleMirror implements Throttle {
  private readonly locks = new BoundedMap<string, number>(MAX_THROTTLE_KEYS);
  /** Entries with failures counted at the node: a success there must clear them. */
  private readonly failing = new BoundedMap<string, true>(MAX_THROTTLE_KEYS);
  /** Binds that failed, waiting for the node's new state of their entry. */
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(private readonly clock: SystemClock, private readonly tell: Tell) {}

  lockedUntil(entry: string, address: string | undefined): number | undefined {
    const until = Math.max(this.locks.get(`e:${entry}`) ?? 0, address === undefined ? 0 : (this.locks.get(`a:${address}`) ?? 0));
    return until > this.clock.nowMs() ? until : undefined;
  }

  /** Resolves when the node's new state for the entry arrives (then the next check of it sees any lock), or after HEARD_WAIT_MS. */
  failed(entry: string, address: string | undefined): Promise<void> {
    this.failing.set(entry, true);
    this.tell({ type: 'bind-failed', entry, address });
    return new Promise((resolve) => {
      const waiters = this.waiting.get(entry) ?? [];
      this.waiting.set(entry, waiters);
      const done = (): void => {
        timer.cancel();
        const at = waiters.indexOf(done);
        if (at >= 0) waiters.splice(at, 1);
        if (waiters.length === 0 && this.waiting.get(entry) === waiters) this.waiting.delete(entry);
        resolve();
      };
      const timer = this.clock.setTimeout(done, HEARD_WAIT_MS);
      waiters.push(done);
    });
  }

  succeeded(entry: string): void {
    if (!this.failing.delete(entry)) return; // nothing counted at the node: the common case costs no message
    this.tell({ type: 'bind-ok', entry });
  }

  heard(message: ToLdapWorker & { type: 'throttle' }): void {
    if (message.address !== undefined) this.set(`a:${message.address}`, message.addressUntil ?? 0);
    if (message.entry === undefined) return;
    this.set(`e:${message.entry}`, message.entryUntil ?? 0);
    if (message.entryFailing) this.failing.set(message.entry, true);
    else this.failing.delete(message.entry);
    const waiters = this.waiting.get(message.entry);
    if (!waiters) return;
    this.waiting.delete(message.entry);
    for (const done of [...waiters]) done();
  }

  private set(key: string, until: number): void {
    if (until > 0) this.locks.set(key, until);
    else this.locks.delete(key);
  }
}

/** DirectoryPorts over IPC: what only the node can do is asked of it. */
class NodePorts implements DirectoryPorts {
  private readonly principal = new AsyncLocalStorage<WritePrincipal | undefined>();
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  private seq = 0;

  constructor(readonly nodeName: string, readonly isCore: boolean, public state: WorkerState, private readonly store: Store, private readonly tell: Tell) {}

  baseDn(): string | undefined {
    return this.state.baseDn;
  }

  parentLdapUrl(): string | undefined {
    return this.state.parentLdapUrl;
  }

  async write(dataset: string, mutations: Mutation[], ownerHint: string): Promise<void> {
    await this.call({ method: 'write', dataset, mutations, ownerHint, principal: this.principal.getStore() });
    this.store.changed([dataset]); // visible here when the call returns, as at the node
  }

  fetchEntry(dn: string, hops: number): Promise<{ entry: DirEntry | undefined; hasChildren: boolean }> {
    return this.call({ method: 'fetchEntry', dn, hops }) as Promise<{ entry: DirEntry | undefined; hasChildren: boolean }>;
  }

  chainBind(dn: string, password: string, hops: number): Promise<ChainedAnswer> {
    return this.call({ method: 'chainBind', dn, password, hops }) as Promise<ChainedAnswer>;
  }

  asPrincipal<T>(principal: WritePrincipal | undefined, fn: () => T): T {
    return this.principal.run(principal, fn);
  }

  replied(message: ToLdapWorker & { type: 'reply' }): void {
    const waiting = this.waiting.get(message.seq);
    if (!waiting) return;
    this.waiting.delete(message.seq);
    if (message.ok) waiting.resolve(message.value);
    else waiting.reject(new StrataError(message.code as ErrorCode, message.message));
  }

  private call(call: Call): Promise<unknown> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.tell({ type: 'call', seq, call });
    });
  }
}

async function main(): Promise<void> {
  const settings = await settingsFromPool<LdapWorkerSettings>('ldap-worker');
  const tell: Tell = (message) => {
    if (process.connected) process.send!(message);
  };
  const clock = new SystemClock();
  const logger = createLogger({ level: settings.logLevel as LogLevel, bindings: { node: settings.nodeName, ldapWorker: process.pid } });
  let store: Store;
  try {
    store = await Store.open({ dir: settings.storeDir, nodeName: settings.nodeName, clock, readOnly: true, indexer: directoryIndexer(settings.indexes), logger });
  } catch (err) {
    return exitTelling({ type: 'failed', code: 'ESTORE', message: `an LDAP worker cannot read the node's store: ${(err as Error).message}` });
  }
  const ports = new NodePorts(settings.nodeName, settings.isCore, settings.state, store, tell);
  const throttle = new ThrottleMirror(clock, tell);
  const tree = new DirectoryTree(store, () => ports.baseDn(), settings.indexes);
  const ctx: DirectoryContext = { tree, access: new Access(tree), ports, clock, throttle, passwordChecks: new KeyedLock(), limits: settings.limits, logger };

  // Counted here and reported to the node, which keeps the metrics: operations every second, malformed messages at once (rare, and looked for).
  const operations = new Map<string, number>();
  const events = {
    operation: (name: string, code: number) => void operations.set(`${name} ${code}`, (operations.get(`${name} ${code}`) ?? 0) + 1),
    malformed: (err: unknown) => {
      logger.debug({ err }, 'malformed LDAP message');
      tell({ type: 'counts', operations: [], malformed: 1 });
    },
  };
  process.on('message', (message: ToLdapWorker) => {
    switch (message.type) {
      case 'reply':
        return ports.replied(message);
      case 'changed':
        return store.changed(message.datasets);
      case 'state':
        ports.state = message.state;
        return;
      case 'throttle':
        return throttle.heard(message);
    }
  });

  const options = { maxMessageBytes: settings.maxMessageBytes };
  const listener = new LdapListener(ctx, events, options);
  const tls = settings.ldaps && new LdapListener(ctx, events, options, settings.ldaps);
  try {
    const ldap = await listener.listen(settings.listen.host, settings.listen.port, 'listen.ldap');
    const ldaps = tls && (await tls.listen(settings.ldaps!.listen.host, settings.ldaps!.listen.port, 'listen.ldaps'));
    tell({ type: 'ready', ldap, ...(ldaps !== undefined ? { ldaps } : {}) });
  } catch (err) {
    return exitTelling({ type: 'failed', code: ((err as { cause?: NodeJS.ErrnoException }).cause?.code) ?? 'EUNKNOWN', message: (err as Error).message });
  }
  clock.setInterval(() => {
    if (operations.size > 0) tell({ type: 'counts', operations: [...operations].map(([key, n]) => [key.split(' ')[0]!, Number(key.split(' ')[1]), n]), malformed: 0 });
    operations.clear();
  }, REPORT_MS);
}

main().catch((err: unknown) => {
  process.stderr.write(`ldap-worker: ${(err as Error).message}\n`);
  process.exit(1);
});
