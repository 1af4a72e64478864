// The HA core's datasets (DESIGN "The core, highly available"): every
// core-owned write is one etcd transaction, guarded by the dataset's meta
// key, so the members of the core group agree on one order (the seqs are
// consecutive per dataset, as the store's log needs). Each member keeps a
// mirror in its own lmdb store, fed by an etcd watch (etcd-mirror.ts), and
// serves links, snapshots and protocols from it as a single core does from
// its own store.
//
// Writes to one dataset queued while a transaction is out go together in the
// next one (group commit). A write resolves once its changes are in the
// local mirror (read-your-writes at the member that took it).

import type { Clock } from '../kernel/clock';
import { isoTime } from '../kernel/clock';
import { AbortedError, errorMessage, FailedPreconditionError, InvalidArgumentError, NotFoundError, UnavailableError, type StrataError } from '../kernel/errors';
import type { Logger } from '../kernel/log';
import { newEpoch, type Change, type DatasetInfo, type Mutation, type Sequencer, type Store } from '../store';
import type { EtcdPort, TxnOp } from './etcd-port';
import { isEtcdRefusal, isEtcdUnreachable } from './etcd-port';
import { EtcdMirror } from './etcd-mirror';
import { decodeMeta, encodeChange, encodeJson, SharedLayout, type SharedMeta } from './shared-log';

interface Pending {
  mutations: Mutation[];
  resolve: (changes: Change[]) => void;
  reject: (err: unknown) => void;
}

export interface SequencerOptions {
  prefix: string;
  clock: Clock;
  logger: Logger;
  /** How long a write may take, etcd and the mirror together. */
  writeTimeoutMs: number;
  /** Mutations per transaction (each is two etcd operations, plus one for the meta): under etcd's --max-txn-ops. */
  maxMutationsPerTxn: number;
  /** Hears how long each stage of a write took (ms): etcd-read, etcd-commit, mirror. */
  timed?: (stage: 'etcd-read' | 'etcd-commit' | 'mirror', ms: number) => void;
}

const MAX_ATTEMPTS = 20;

export class EtcdSequencer implements Sequencer {
  readonly layout: SharedLayout;
  private storeRef: Store | undefined;
  private readonly mirror: EtcdMirror;
  private readonly queues = new Map<string, Pending[]>();
  private readonly flushing = new Set<string>();
  private unreachableSinceMs: number | undefined;
  /** Each dataset's meta in etcd as last seen (our own transactions, the watch), with its mod revision: a write guarded by it needs no read first. */
  private readonly heads = new Map<string, { meta: SharedMeta; modRevision: number }>();

  constructor(private readonly etcd: EtcdPort, private readonly options: SequencerOptions) {
    this.layout = new SharedLayout(options.prefix);
    this.mirror = new EtcdMirror(etcd, this.layout, options, {
      store: () => this.store,
      saw: (name, meta, modRevision) => this.saw(name, meta, modRevision),
      call: (what, fn) => this.call(what, fn),
    });
  }

  private get store(): Store {
    if (!this.storeRef) throw new FailedPreconditionError('the core group has no store yet');
    return this.storeRef;
  }

  /** Since when etcd has not answered (undefined: it answers). */
  get unreachableSince(): number | undefined {
    return this.unreachableSinceMs;
  }

  /**
   * Brings the mirror up to etcd (datasets missing or of another epoch are
   * installed from etcd's records, the others get the log they lack), then
   * follows etcd's watch from that revision on.
   */
  async start(store: Store): Promise<void> {
    this.storeRef = store;
    const stray = store.datasets().filter((d) => d.role === 'owner' && !d.shared);
    if (stray.length > 0) {
      throw new FailedPreconditionError(`this member's store (${store.dir}) holds datasets owned by a single-process core (${stray.slice(0, 3).map((d) => d.name).join(', ')}${stray.length > 3 ? ', …' : ''}); a core group member starts from an empty data dir or one of a member — move this one aside`);
    }
    try {
      await this.mirror.follow();
    } catch (err) {
      // A member that has a copy serves it (reads, links, everything below) while etcd is away, and keeps trying.
      if (store.datasets().length === 0) throw err;
      this.options.logger.warn({ err: errorMessage(err) }, 'etcd is not reachable: serving this member\'s copy of the core\'s data; retrying every second');
      this.mirror.retryFollow();
    }
  }

  stop(): Promise<void> {
    return this.mirror.stop();
  }

  // ---- writes (Sequencer)

  write(name: string, mutations: Mutation[]): Promise<Change[]> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(name);
      if (!queue) this.queues.set(name, (queue = []));
      queue.push({ mutations, resolve, reject });
      void this.flush(name);
    });
  }

  async create(name: string, owner: string): Promise<DatasetInfo> {
    const meta: SharedMeta = { owner, epoch: newEpoch(this.options.clock.nowMs()), seq: 0, firstSeq: 1 };
    await this.call(`create ${name}`, () => this.etcd.putIfAbsent(this.layout.meta(name), encodeJson(meta)));
    await this.call(`read ${name}`, () => this.mirror.enqueue(() => this.mirror.syncDataset(name)));
    const info = this.store.dataset(name);
    if (!info) throw new UnavailableError(`dataset ${name} was created in etcd but is not in this member's mirror; retry`);
    return info;
  }

  private async flush(name: string): Promise<void> {
    if (this.flushing.has(name)) return;
    this.flushing.add(name);
    try {
      for (let queue = this.queues.get(name); queue && queue.length > 0; queue = this.queues.get(name)) {
        const batch: Pending[] = [];
        let size = 0;
        const tooLarge = queue[0]!.mutations.length > this.options.maxMutationsPerTxn ? queue.shift() : undefined;
        if (tooLarge) {
          tooLarge.reject(new InvalidArgumentError(`a write of ${tooLarge.mutations.length} changes to ${name} does not fit in one etcd transaction here (at most ${this.options.maxMutationsPerTxn}: core.etcd.maxTxnOps); write in smaller batches, or raise etcd's --max-txn-ops and core.etcd.maxTxnOps`));
          continue;
        }
        while (queue.length > 0 && (batch.length === 0 || size + queue[0]!.mutations.length <= this.options.maxMutationsPerTxn)) {
          const next = queue.shift()!;
          size += next.mutations.length;
          batch.push(next);
        }
        await this.commit(name, batch);
      }
    } finally {
      this.flushing.delete(name);
      if (this.queues.get(name)?.length === 0) this.queues.delete(name);
    }
  }

  /** One transaction for the batch: its seqs follow etcd's meta, its expectations checked on the mirror at that seq. */
  private async commit(name: string, batch: Pending[]): Promise<void> {
    const deadlineMs = this.options.clock.nowMs() + this.options.writeTimeoutMs;
    let waiting = batch;
    for (let attempt = 1; waiting.length > 0; attempt++) {
      try {
        const readNs = this.options.clock.monotonicNs();
        // Expectations are checked on this member's copy, which must then be at etcd's head; other writes need only the head.
        const expecting = waiting.some((w) => w.mutations.some((m) => m.expect));
        const { meta, modRevision } = await this.head(name, expecting);
        const waitNs = this.options.clock.monotonicNs();
        this.timed('etcd-read', readNs, waitNs);
        if (expecting) await this.caughtUp(name, meta, deadlineMs);
        const caughtUpNs = this.options.clock.monotonicNs();
        const accepted = this.checked(name, waiting);
        waiting = accepted.map((a) => a.pending);
        if (accepted.length === 0) return;
        const nowMs = this.options.clock.nowMs();
        let seq = meta.seq;
        const ops: TxnOp[] = [];
        const written = accepted.map(({ pending }) =>
          pending.mutations.map((m): Change => {
            const change: Change = { dataset: name, epoch: meta.epoch, seq: ++seq, op: m.op, key: m.key, timeMs: nowMs };
            if (m.op === 'put') change.value = m.value;
            ops.push({ put: this.layout.log(name, change.seq), value: encodeChange(change) });
            ops.push(m.op === 'put' ? { put: this.layout.record(name, m.key), value: encodeJson(m.value) } : { delete: this.layout.record(name, m.key) });
            return change;
          }),
        );
        ops.push({ put: this.layout.meta(name), value: encodeJson({ ...meta, seq }) });
        const commitNs = this.options.clock.monotonicNs();
        const result = await this.call(`write ${name}`, () => this.etcd.txnIfUnchanged(this.layout.meta(name), modRevision, ops));
        const committedNs = this.options.clock.monotonicNs();
        this.timed('etcd-commit', commitNs, committedNs);
        if (result.succeeded) this.saw(name, { ...meta, seq }, result.revision);
        else this.heads.delete(name);
        if (!result.succeeded) {
          // Another member wrote first: read again, check again.
          if (attempt >= MAX_ATTEMPTS || this.options.clock.nowMs() > deadlineMs) throw new AbortedError(`write to ${name} lost ${attempt} races with other core members' writes; retry`);
          continue;
        }
        // Applied here before it is answered (read-your-writes at this member). (Starting the next
        // transaction before this apply was measured slower on 2 cores: more work in flight, the same CPU.)
        const all = written.flat();
        await this.mirror.enqueue(() => this.mirror.applyOwn(all));
        this.options.timed?.('mirror', Number(caughtUpNs - waitNs + this.options.clock.monotonicNs() - committedNs) / 1e6);
        accepted.forEach(({ pending }, i) => pending.resolve(written[i]!));
        return;
      } catch (err) {
        for (const pending of waiting) pending.reject(err);
        return;
      }
    }
  }

  /**
   * The dataset's meta in etcd: as last seen (if this member's copy is there
   * too, when `withCopy`), else read now. A head seen that is no longer
   * etcd's fails the transaction's guard, and is read again.
   */
  private async head(name: string, withCopy: boolean): Promise<{ meta: SharedMeta; modRevision: number }> {
    const known = this.heads.get(name);
    const held = this.store.dataset(name);
    if (known && (!withCopy || (held?.epoch === known.meta.epoch && held.seq === known.meta.seq))) return known;
    const { kv } = await this.call(`write ${name}`, () => this.etcd.get(this.layout.meta(name)));
    if (!kv) throw new NotFoundError(`dataset ${name} does not exist in the core group's etcd`);
    const head = { meta: decodeMeta(kv.value, name), modRevision: kv.modRevision };
    this.saw(name, head.meta, head.modRevision);
    return head;
  }

  private saw(name: string, meta: SharedMeta, modRevision: number): void {
    const known = this.heads.get(name);
    if (!known || known.modRevision < modRevision) this.heads.set(name, { meta, modRevision });
  }

  private timed(stage: 'etcd-read' | 'etcd-commit', fromNs: bigint, toNs: bigint): void {
    this.options.timed?.(stage, Number(toNs - fromNs) / 1e6);
  }

  /** The writes whose expectations hold, each seeing the ones before it; the others are refused now. */
  private checked(name: string, batch: Pending[]): Array<{ pending: Pending }> {
    const overlay = new Map<string, unknown>();
    const accepted: Array<{ pending: Pending }> = [];
    for (const pending of batch) {
      try {
        this.store.checkExpectations(name, pending.mutations, overlay);
      } catch (err) {
        pending.reject(err);
        continue;
      }
      for (const m of pending.mutations) overlay.set(m.key, m.op === 'put' ? m.value : undefined);
      accepted.push({ pending });
    }
    return accepted;
  }

  /** Waits until the mirror holds exactly etcd's `meta` (the watch may be a moment behind). */
  private caughtUp(name: string, meta: SharedMeta, deadlineMs: number): Promise<void> {
    const state = (): 'same' | 'behind' | 'other' => {
      const held = this.store.dataset(name);
      if (!held || held.epoch !== meta.epoch || held.seq < meta.seq) return 'behind';
      return held.seq === meta.seq ? 'same' : 'other';
    };
    if (state() === 'same') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const finish = (err?: StrataError): void => {
        timer.cancel();
        unsubscribe();
        if (err) reject(err);
        else resolve();
      };
      const timer = this.options.clock.setTimeout(() => finish(new UnavailableError(`write to ${name} not applied: this member's copy did not reach seq ${meta.seq} (etcd's) within ${this.options.writeTimeoutMs} ms; retry`)), Math.max(1, deadlineMs - this.options.clock.nowMs()));
      const unsubscribe = this.store.onChange((names) => {
        if (!names.includes(name)) return;
        const now = state();
        if (now === 'same') finish();
        else if (now === 'other') finish(new AbortedError(`${name} changed while this write was checked; retry`));
      });
    });
  }

  /** An etcd call; a failure is UNAVAILABLE naming etcd and since when it has not answered. */
  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      const result = await fn();
      if (this.unreachableSinceMs !== undefined) this.options.logger.info({ endpoints: this.etcd.endpoints }, 'etcd answers again');
      this.unreachableSinceMs = undefined;
      return result;
    } catch (err) {
      if (isEtcdRefusal(err)) throw new FailedPreconditionError(`core group: etcd refused to ${what}: ${errorMessage(err)} (a write larger than etcd's --max-txn-ops or --max-request-bytes allow? raise them, and core.etcd.maxTxnOps, or write in smaller batches)`, { cause: err });
      if (!isEtcdUnreachable(err)) throw err;
      this.unreachableSinceMs ??= this.options.clock.nowMs();
      throw new UnavailableError(
        `core group: cannot ${what}: etcd (${this.etcd.endpoints.join(', ')}) did not answer since ${isoTime(this.unreachableSinceMs)}: ${errorMessage(err)}; core-owned writes are refused until etcd has a quorum again (reads, links and everything below keep working)`,
        { cause: err },
      );
    }
  }
}
