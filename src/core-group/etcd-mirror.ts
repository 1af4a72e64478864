// The HA core's mirror (etcd-sequencer.ts writes): each member keeps the
// core's datasets in its own lmdb store, brought up to etcd at start
// (datasets missing or of another epoch installed from etcd's records, the
// others given the log they lack) and then fed by an etcd watch. All mirror
// work — watch batches, resyncs, the member's own writes — runs one at a
// time, in order.

import type { Clock } from '../kernel/clock';
import { errorMessage, InvalidArgumentError } from '../kernel/errors';
import type { Logger } from '../kernel/log';
import type { Change, Entry, Store } from '../store';
import type { EtcdPort, EtcdWatch, WatchEvent } from './etcd-port';
import { prefixEnd } from './etcd-port';
import { decodeChange, decodeMeta, decodeRecord, type SharedLayout, type SharedMeta } from './shared-log';

const PAGE = 500;

export interface MirrorHooks {
  store(): Store;
  /** A dataset's meta as etcd has it (from the watch), with its mod revision. */
  saw(name: string, meta: SharedMeta, modRevision: number): void;
  /** Runs an etcd call, turning a failure into UNAVAILABLE naming etcd. */
  call<T>(what: string, fn: () => Promise<T>): Promise<T>;
}

export class EtcdMirror {
  /** Mirror work (watch batches, resyncs, our own applies), one at a time, in order. */
  private chain: Promise<void> = Promise.resolve();
  private watch: EtcdWatch | undefined;
  private closed = false;
  private restarting = false;

  constructor(
    private readonly etcd: EtcdPort,
    private readonly layout: SharedLayout,
    private readonly options: { clock: Clock; logger: Logger },
    private readonly hooks: MirrorHooks,
  ) {}

  private get store(): Store {
    return this.hooks.store();
  }

  /** The mirror brought up to etcd, then etcd's watch followed from that revision on. */
  async follow(): Promise<void> {
    const revision = await this.hooks.call('read the datasets', () => this.enqueue(() => this.syncAll()));
    const { start, end } = this.layout.watched;
    this.watch = await this.hooks.call('watch the datasets', () => this.etcd.watch(start, end, revision + 1, (events) => this.onWatched(events), (err) => this.onWatchError(err)));
  }

  /** A watch batch, applied in order; what cannot be applied (etcd away during a resync, a value etcd holds that is not ours) is logged and the watch started again from a full read. */
  private onWatched(events: WatchEvent[]): void {
    this.enqueue(() => this.onEvents(events)).catch((err: unknown) => this.onWatchError(err instanceof Error ? err : new Error(String(err))));
  }

  retryFollow(delayMs = 1000): void {
    this.options.clock.setTimeout(() => {
      if (this.closed) return;
      this.follow().then(
        () => this.options.logger.info('following etcd again'),
        () => this.retryFollow(),
      );
    }, delayMs).unref();
  }

  async stop(): Promise<void> {
    this.closed = true;
    await this.watch?.close().catch(() => undefined);
    await this.chain.catch(() => undefined);
  }

  /** The member's own committed changes, in the mirror before the write is answered (unless the watch was first). */
  async applyOwn(changes: Change[]): Promise<void> {
    const held = this.store.dataset(changes[0]!.dataset);
    if (held && held.seq >= changes[changes.length - 1]!.seq) return; // the watch was first
    await this.store.applyShared(changes);
  }

  enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work);
    this.chain = run.then(() => undefined, () => undefined);
    return run;
  }

  private async onEvents(events: WatchEvent[]): Promise<void> {
    if (this.closed) return;
    let pending: Change[] = [];
    const resync = new Set<string>();
    const flush = async (): Promise<void> => {
      const changes = pending;
      pending = [];
      for (const name of new Set(changes.map((c) => c.dataset))) {
        // Our own writes come back from the watch already applied: skip them without a transaction.
        const heldSeq = this.store.dataset(name)?.seq ?? 0;
        const mine = changes.filter((c) => c.dataset === name && c.seq > heldSeq);
        if (mine.length === 0) continue;
        try {
          await this.store.applyShared(mine);
        } catch (err) {
          this.options.logger.warn({ dataset: name, err: errorMessage(err) }, 'could not apply changes from etcd; reading the dataset again');
          resync.add(name);
        }
      }
    };
    for (const event of events) {
      const what = this.layout.parse(event.key);
      if (!what || event.type !== 'put' || resync.has(what.dataset)) continue;
      const decoded = this.decoded(event.key, () => (what.kind === 'log' ? decodeChange(what.dataset, what.seq, event.value) : decodeMeta(event.value, what.dataset)));
      if (!decoded) continue;
      if (what.kind === 'log') {
        pending.push(decoded as Change);
        continue;
      }
      const meta = decoded as SharedMeta;
      this.hooks.saw(what.dataset, meta, event.modRevision);
      const held = this.store.dataset(what.dataset);
      if (!held || held.epoch !== meta.epoch) {
        await flush();
        resync.add(what.dataset);
      }
    }
    await flush();
    for (const name of resync) await this.syncDataset(name);
  }

  private onWatchError(err: Error): void {
    if (this.closed || this.restarting) return;
    this.restarting = true;
    this.options.logger.warn({ err: err.message }, 'following etcd failed; reading every dataset again and watching anew');
    const watch = this.watch;
    this.watch = undefined;
    void (watch?.close().catch(() => undefined) ?? Promise.resolve()).then(() => {
      this.restarting = false;
      this.retryFollow(0);
    });
  }

  /** Every dataset in etcd brought into the mirror; answers the revision read. */
  private async syncAll(): Promise<number> {
    const metas = await this.readAll(this.layout.metas, 0);
    for (const kv of metas.kvs) {
      const name = decodeURIComponent(kv.key.slice(this.layout.metas.length));
      if (this.decoded(kv.key, () => decodeMeta(kv.value, name))) await this.syncDataset(name, metas.revision);
    }
    return metas.revision;
  }

  /**
   * A value read from etcd, or undefined (logged) when it is not one Strata
   * wrote: another program's key under our prefix must not stop a member.
   */
  private decoded<T>(key: string, decode: () => T): T | undefined {
    try {
      return decode();
    } catch (err) {
      if (!(err instanceof InvalidArgumentError)) throw err;
      this.options.logger.error({ key, err: err.message }, 'ignoring a value in etcd that Strata did not write');
      return undefined;
    }
  }

  /** One dataset as etcd has it at `revision` (0: now): the missing log applied, or its records installed. */
  async syncDataset(name: string, revision = 0): Promise<void> {
    const metaKey = this.layout.meta(name);
    const head = await this.etcd.range(metaKey, `${metaKey}\0`, revision, 1);
    const kv = head.kvs[0];
    if (!kv) return;
    const meta = decodeMeta(kv.value, name);
    const at = revision || head.revision;
    const held = this.store.dataset(name);
    if (held?.shared && held.epoch === meta.epoch && held.seq >= meta.firstSeq - 1 && held.seq <= meta.seq) {
      if (held.seq === meta.seq) return;
      const log = await this.readAll(this.layout.logOf(name), at, this.layout.log(name, held.seq + 1));
      const decoded = log.kvs.map((e) => this.decoded(e.key, () => decodeChange(name, Number(e.key.slice(this.layout.logOf(name).length)), e.value)));
      const changes = decoded.filter((c): c is Change => c !== undefined && c.seq <= meta.seq);
      // A log that does not follow on (a value Strata did not write) is passed over: the records are the truth.
      if (changes.length === meta.seq - held.seq && changes.every((c, i) => c.seq === held.seq + 1 + i)) {
        if (changes.length > 0) await this.store.applyShared(changes);
        return;
      }
    }
    const records = await this.readAll(this.layout.recordsOf(name), at);
    const prefix = this.layout.recordsOf(name);
    const entries: Entry[] = records.kvs.flatMap((r) => {
      const key = r.key.slice(prefix.length);
      const value = this.decoded(r.key, () => decodeRecord(name, key, r.value));
      return value === undefined ? [] : [{ key, value }];
    });
    await this.store.installShared({ name, owner: meta.owner, epoch: meta.epoch, seq: meta.seq }, entries);
    this.options.logger.info({ dataset: name, seq: meta.seq, entries: entries.length }, 'installed from etcd');
  }

  /** Every key under `prefix` (from `from` on) as of one revision, read in pages. */
  private async readAll(prefix: string, revision: number, from = prefix): Promise<{ kvs: Array<{ key: string; value: Buffer }>; revision: number }> {
    const end = prefixEnd(prefix);
    const kvs: Array<{ key: string; value: Buffer }> = [];
    let at = revision;
    for (let start = from; ; ) {
      const page = await this.etcd.range(start, end, at, PAGE);
      at = page.revision && at === 0 ? page.revision : at;
      kvs.push(...page.kvs);
      if (!page.more || page.kvs.length === 0) return { kvs, revision: at };
      start = `${page.kvs[page.kvs.length - 1]!.key}\0`;
    }
  }
}
