// The receiving half of replication: applies change batches and snapshots
// to local replicas in order, exactly once, durably, then acks. A batch that
// does not fit (gap, other epoch, unknown dataset mid-log) asks the sender
// for a snapshot instead. Whether a dataset may be accepted from this peer
// is the session's policy.

import { FailedPreconditionError, PermissionDeniedError } from '../../kernel/errors';
import type { Logger } from '../../kernel/log';
import { newerEpoch, type SnapshotBuilder, type Store } from '../../store';
import type { ChangeBatch__Output } from '../grpc/generated/strata/v1/ChangeBatch';
import type { SnapshotBegin__Output } from '../grpc/generated/strata/v1/SnapshotBegin';
import type { SnapshotChunk__Output } from '../grpc/generated/strata/v1/SnapshotChunk';
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
    if (this.resyncing.has(name) || this.builders.has(name)) return;
    const changes = fromWireBatch(batch);
    if (changes.length === 0) return;
    let info = this.store.dataset(name);
    if (info && (info.role === 'owner' || info.owner !== batch.owner)) return this.refuse(name, batch.owner, info.owner);
    if (!this.policy.accept(name, batch.owner)) return;
    if (!info) {
      if (changes[0]!.seq !== 1) return this.requestResync(name, 'dataset not held here');
      await this.policy.created(name);
      info = await this.store.createReplica(name, batch.owner, batch.epoch).catch(() => this.store.dataset(name)!);
    }
    if (info.epoch !== batch.epoch) {
      if (newerEpoch(batch.epoch, info.epoch)) return this.requestResync(name, 'epoch changed');
      return; // an older copy than ours: keep ours
    }
    try {
      await this.store.apply(changes);
    } catch (err) {
      if (err instanceof FailedPreconditionError) return this.requestResync(name, err.message);
      throw err;
    }
    // No ack per batch: the sender tracks what it sent, and a message back for every change
    // cost each relay and site as much CPU as applying it (acks are for snapshots, below).
  }

  async onSnapshotBegin(begin: SnapshotBegin__Output): Promise<void> {
    const name = begin.dataset;
    this.resyncing.delete(name);
    await this.builders.get(name)?.abort();
    this.builders.delete(name);
    const held = this.store.dataset(name);
    if (held && (held.role === 'owner' || held.owner !== begin.owner)) return this.refuse(name, begin.owner, held.owner);
    if (!this.policy.accept(name, begin.owner)) return;
    if (held && (newerEpoch(held.epoch, begin.epoch) || (held.epoch === begin.epoch && held.seq >= Number(begin.seq)))) return;
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
    if (this.store.dataset(dataset) === undefined) await this.policy.created(dataset);
    try {
      await builder.commit();
    } catch (err) {
      if (err instanceof FailedPreconditionError) {
        this.logger.info({ dataset, reason: err.message }, 'snapshot not applied');
        return;
      }
      throw err;
    }
    await this.ack(dataset);
  }

  /** A peer sent data for a dataset whose owner differs from the one we know (or that we own): never apply it, and close the link. */
  private refuse(dataset: string, claimed: string, known: string): never {
    this.logger.warn({ dataset, claimedOwner: claimed, knownOwner: known }, 'refused changes from a peer for a dataset with another owner');
    throw new PermissionDeniedError(`refused ${dataset}: it is owned by ${known} here, the peer says ${claimed}`);
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
