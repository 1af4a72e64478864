// The sending half of replication: one generic loop over the datasets a peer
// should hold (consul's replication loop), sending change batches after the
// peer's cursor, or a snapshot first when the log no longer reaches back or
// the epoch differs (syncrepl refresh-then-persist). Which datasets to send
// is the session's policy; this file only moves them.

import type { Logger } from '../../kernel/log';
import { newerEpoch, type Change, type DatasetInfo, type Entry, type Store } from '../../store';
import { toWireChanges, toWireEntries } from './link-codec';
import type { LinkMessage } from './link-stream';

export const BATCH_CHANGES = 1000;
const SNAPSHOT_CHUNK = 1000;
/** Messages stay far below gRPC's 64 MiB limit even with large values. */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** The longest prefix of `items` whose encoded values fit the byte budget (at least one item). */
function withinBudget<T extends { value?: Uint8Array | string; key?: string }>(items: T[]): T[] {
  let bytes = 0;
  for (let i = 0; i < items.length; i++) {
    bytes += (items[i]!.value?.length ?? 0) + (items[i]!.key?.length ?? 0) + 32;
    if (bytes > MAX_MESSAGE_BYTES && i > 0) return items.slice(0, i);
  }
  return items;
}

/** What a peer may see of a dataset: changes rewritten, snapshot entries left out (e.g. password hashes held back). */
export interface OutboundFilter {
  change(change: Change): Change;
  entry(entry: Entry): Entry | undefined;
}

export interface PeerCursor {
  epoch: string;
  seq: number;
}

export class Outbound {
  /** What the peer holds (or will, once in-flight messages land), per dataset. */
  private readonly sent = new Map<string, PeerCursor>();
  private readonly needSnapshot = new Set<string>();
  private running = false;
  private again = false;
  private closed = false;
  /** Datasets changed since the last run; `all` when every dataset must be looked at (the link started). */
  private dirty = new Set<string>();
  private all = false;
  /** Resolves once a run has sent everything the peer was missing (or the link closed): the peer has caught up once. */
  readonly caughtUp: Promise<void>;
  private markCaughtUp!: () => void;

  constructor(
    private readonly store: Store,
    private readonly send: (message: LinkMessage) => Promise<void>,
    /** Does this dataset go to the peer? */
    private readonly sends: (info: DatasetInfo) => boolean,
    private readonly logger: Logger,
    /** A send failed: the session must end (and resume from cursors on reconnect). */
    private readonly failed: (err: unknown) => void = () => undefined,
    private readonly filter: (dataset: string) => OutboundFilter | undefined = () => undefined,
  ) {
    this.caughtUp = new Promise((resolve) => (this.markCaughtUp = resolve));
  }

  /** The peer's cursor from its Hello (or an Ack after a resync). */
  setPeerCursor(dataset: string, cursor: PeerCursor): void {
    this.sent.set(dataset, cursor);
  }

  /** The peer cannot use what we sent: start over with a snapshot. */
  resync(dataset: string): void {
    this.needSnapshot.add(dataset);
    this.kick([dataset]);
  }

  /**
   * `datasets` changed (all of them, when not given): send what the peer is
   * missing of them. Only the datasets named are looked at — at a core with
   * thousands of datasets, a change must not cost every link a scan of all.
   */
  kick(datasets?: readonly string[]): void {
    if (this.closed) return;
    if (datasets) for (const name of datasets) this.dirty.add(name);
    else this.all = true;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.run();
  }

  close(): void {
    this.closed = true;
    this.markCaughtUp();
  }

  private async run(): Promise<void> {
    try {
      do {
        this.again = false;
        const names = this.all ? this.store.datasets().map((d) => d.name) : [...this.dirty].sort();
        this.all = false;
        this.dirty = new Set();
        for (const name of names) {
          if (this.closed) return;
          const info = this.store.dataset(name);
          if (info && this.sends(info)) await this.pump(name);
        }
      } while (this.again && !this.closed);
      this.markCaughtUp();
    } catch (err) {
      if (!this.closed) {
        this.logger.warn({ err }, 'replication send failed; closing the link to resume from cursors');
        this.failed(err);
      }
    } finally {
      this.running = false;
    }
  }

  private async pump(name: string): Promise<void> {
    for (;;) {
      let current = this.store.dataset(name);
      if (!current || this.closed) return;
      if (this.needSnapshot.delete(name)) {
        await this.sendSnapshot(name);
        continue;
      }
      const peer = this.sent.get(name);
      if (!peer) {
        // A dataset new to the peer: changes from seq 1 if the log reaches back, else a snapshot
        // (also for an empty dataset, so the peer holds it and knows its owner).
        if (current.seq === 0 || current.firstSeq > 1) await this.sendSnapshot(name);
        else this.sent.set(name, { epoch: current.epoch, seq: 0 });
        continue;
      }
      if (current.role === 'owner' && (newerEpoch(peer.epoch, current.epoch) || (peer.epoch === current.epoch && peer.seq > current.seq))) {
        // Is the peer really ahead of us, or has our info not caught up with a commit (ours) that a
        // snapshot we just sent already held? Only the stored info can say: renewing an epoch on a
        // stale view would renew it under a client's write in flight.
        current = this.store.datasetAsStored(name) ?? current;
      }
      if (peer.epoch !== current.epoch) {
        // A relay never pushes an older copy over a newer one; the owner's copy is the truth.
        if (newerEpoch(peer.epoch, current.epoch)) {
          // A core group member behind etcd (or a relay) waits: the newer copy reaches it from etcd.
          if (current.role !== 'owner' || current.shared) return;
          // The owner was rebuilt with its clock behind: move past the peer's epoch so it takes ours.
          this.logger.warn({ dataset: name, ownerEpoch: current.epoch, replicaEpoch: peer.epoch }, 'a replica holds a later epoch than the owner; renewing the epoch past it');
          await this.store.renewEpoch(name, peer.epoch);
          continue;
        }
        await this.sendSnapshot(name);
        continue;
      }
      if (peer.seq > current.seq) {
        // We are behind (a relay, or a core group member whose copy from etcd lags): the peer gets the rest from elsewhere or later.
        if (current.role !== 'owner' || current.shared) return;
        // The owner is behind a replica of its own data (restored from a backup): start a new epoch.
        this.logger.warn({ dataset: name, ownerSeq: current.seq, replicaSeq: peer.seq }, 'a replica is ahead of the owner; renewing the epoch');
        await this.store.renewEpoch(name);
        continue;
      }
      if (peer.seq === current.seq) return;
      const result = this.store.since(name, peer.seq, { epoch: peer.epoch, limit: BATCH_CHANGES });
      if (result.kind === 'snapshot-needed' || result.changes.length === 0) {
        await this.sendSnapshot(name);
        continue;
      }
      const filter = this.filter(name);
      const wire = withinBudget(toWireChanges(filter ? result.changes.map((c) => filter.change(c)) : result.changes));
      this.sent.set(name, { epoch: current.epoch, seq: Number(wire[wire.length - 1]!.seq) });
      await this.send({
        changes: {
          dataset: name,
          owner: current.owner,
          epoch: current.epoch,
          changes: wire,
          headSeq: current.seq,
          headTimeMs: current.updatedMs,
        },
      });
    }
  }

  private async sendSnapshot(name: string): Promise<void> {
    const reader = this.store.readSnapshot(name, { batchSize: SNAPSHOT_CHUNK });
    try {
      const { info } = reader;
      this.logger.info({ dataset: name, seq: info.seq, entries: info.entries }, 'sending snapshot');
      this.sent.set(name, { epoch: info.epoch, seq: info.seq });
      await this.send({ snapshotBegin: { dataset: name, owner: info.owner, epoch: info.epoch, seq: info.seq, entries: info.entries } });
      const filter = this.filter(name);
      for (const batch of reader.batches) {
        const visible = filter ? batch.flatMap((e) => filter.entry(e) ?? []) : batch;
        for (let rest = toWireEntries(visible); rest.length > 0; ) {
          if (this.closed) return;
          const chunk = withinBudget(rest);
          rest = rest.slice(chunk.length);
          await this.send({ snapshotChunk: { dataset: name, entries: chunk } });
        }
      }
      await this.send({ snapshotEnd: { dataset: name } });
    } finally {
      reader.close();
    }
  }
}
