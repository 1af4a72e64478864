// The receiving half of replication: applies change batches and snapshots
// to local replicas in order, exactly once, durably, then acks. A batch that
// does not fit (gap, other epoch, unknown dataset mid-log) asks the sender
// for a snapshot instead. Whether a dataset may be accepted from this peer
// is the session's policy.

import { FailedPreconditionError } from '../kernel/errors';
import type { Logger } from '../kernel/log';
import type { SnapshotBuilder, Store } from '../store';
import type { ChangeBatch__Output } from './generated/strata/v1/ChangeBatch';
import type { SnapshotBegin__Output } from './generated/strata/v1/SnapshotBegin';
import type { SnapshotChunk__Output } from './generated/strata/v1/SnapshotChunk';
import { fromWireBatch, fromWireEntries } from './link-codec';
import type { LinkMessage } from './link-stream';

export interface InboundPolicy {
  /** May this peer send us `dataset` owned by `owner`? */
  accept(dataset: string, owner: string): boolean;
  /** A replica was created from this peer (to remember where it came from). */
  created(dataset: string): Promise<void>;
}

export interface Head {
  seq: number;
  timeMs: number;
}

export class Inbound {
  private readonly resyncing = new Set<string>();
  private readonly builders = new Map<string, SnapshotBuilder>();
  /** The sender's latest seq per dataset, for lag. */
  readonly heads = new Map<string, Head>();

  constructor(
    private readonly store: Store,
    private readonly send: (message: LinkMessage) => Promise<void>,
    private readonly policy: InboundPolicy,
    private readonly logger: Logger,
  ) {}

  async onBatch(batch: ChangeBatch__Output): Promise<void> {
    const name = batch.dataset;
    this.heads.set(name, { seq: Number(batch.headSeq), timeMs: Number(batch.headTimeMs) });
    if (!this.policy.accept(name, batch.owner) || this.resyncing.has(name) || this.builders.has(name)) return;
    const changes = fromWireBatch(batch);
    if (changes.length === 0) return;
    let info = this.store.dataset(name);
    if (info?.role === 'owner') return;
    if (!info) {
      if (changes[0]!.seq !== 1) return this.requestResync(name, 'dataset not held here');
      info = await this.store.createReplica(name, batch.owner, batch.epoch);
      await this.policy.created(name);
    }
    if (info.epoch !== batch.epoch) return this.requestResync(name, 'epoch changed');
    try {
      await this.store.apply(changes);
    } catch (err) {
      if (err instanceof FailedPreconditionError) return this.requestResync(name, err.message);
      throw err;
    }
    await this.ack(name);
  }

  async onSnapshotBegin(begin: SnapshotBegin__Output): Promise<void> {
    const name = begin.dataset;
    this.resyncing.delete(name);
    await this.builders.get(name)?.abort();
    this.builders.delete(name);
    if (!this.policy.accept(name, begin.owner) || this.store.dataset(name)?.role === 'owner') return;
    this.logger.info({ dataset: name, seq: Number(begin.seq), entries: Number(begin.entries) }, 'receiving snapshot');
    this.builders.set(name, this.store.beginSnapshot(name, begin.owner, begin.epoch, Number(begin.seq)));
  }

  async onSnapshotChunk(chunk: SnapshotChunk__Output): Promise<void> {
    await this.builders.get(chunk.dataset)?.add(fromWireEntries(chunk.entries));
  }

  async onSnapshotEnd(dataset: string): Promise<void> {
    const builder = this.builders.get(dataset);
    if (!builder) return;
    this.builders.delete(dataset);
    const existed = this.store.dataset(dataset) !== undefined;
    await builder.commit();
    if (!existed) await this.policy.created(dataset);
    await this.ack(dataset);
  }

  async close(): Promise<void> {
    for (const builder of this.builders.values()) await builder.abort().catch(() => undefined);
    this.builders.clear();
  }

  private async ack(dataset: string): Promise<void> {
    const cursor = this.store.cursor(dataset);
    if (cursor) await this.send({ ack: { dataset, epoch: cursor.epoch, seq: cursor.seq } });
  }

  private async requestResync(dataset: string, reason: string): Promise<void> {
    this.resyncing.add(dataset);
    this.logger.info({ dataset, reason }, 'asking for a snapshot');
    await this.send({ resync: { dataset, reason } });
  }
}
