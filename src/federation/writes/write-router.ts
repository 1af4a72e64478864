// Routes a write to the owner of its dataset (DESIGN §2): apply here if we
// own it; down the child link whose subtree holds the owner; else up to the
// parent. If the owner cannot be reached within the deadline the caller gets
// UnavailableError naming the owner — never a local write.

import { msSince, type Clock } from '../../kernel/clock';
import { FailedPreconditionError, NotFoundError, StrataError, UnavailableError, type ErrorCode } from '../../kernel/errors';
import type { Change, Mutation, Store } from '../../store';
import { fromWireBatch, fromWireMutations, toWireChanges, toWireMutations } from '../link/link-codec';
import { DIR_DATASET_PREFIX } from '../../directory';
import type { LinkSession } from '../link/link-session';
import type { WriteRequest__Output } from '../grpc/generated/strata/v1/WriteRequest';
import type { WriteResult } from '../grpc/generated/strata/v1/WriteResult';
import type { Principal } from '../grpc/generated/strata/v1/Principal';
import { currentWriteContext } from '../grpc/write-context';
import type { TimedStage } from './write-stages';

const MAX_HOPS = 16;

export interface WriteOutcome {
  owner: string;
  epoch: string;
  seq: number;
  /** The changes the owner made, when it shares them (sharedChanges); with `fromParent` when they came down from our parent. */
  changes?: Change[];
  fromParent?: boolean;
}

/** Larger writes are left to replication. */
const MAX_SHARED_CHANGES = 64;

/**
 * What an owner sends back with a forwarded write's result: its changes, so
 * the node the client called can apply them at once. Not for the directory,
 * whose changes may be filtered on the way down (password hashes, DESIGN §5).
 */
function sharedChanges(dataset: string, changes: Change[]): Change[] | undefined {
  return changes.length > 0 && changes.length <= MAX_SHARED_CHANGES && !dataset.startsWith(DIR_DATASET_PREFIX) ? changes : undefined;
}

export interface Routes {
  self: string;
  /** The core holds every dataset: what it does not know does not exist. */
  isCore: boolean;
  /** …unless it is one member of a core group: a branch may be linked to another member. */
  coreGroupMember?: boolean;
  /** The live session to the child whose subtree holds `owner`, if any. */
  childToward(owner: string): LinkSession | undefined;
  /** Is `owner` known to be below us (even if unreachable now)? */
  isBelow(owner: string): boolean;
  parent(): { name: string; session: LinkSession } | undefined;
  /** Human text for "since when the parent link is down". */
  parentDownText(): string;
}

/** At the owner: a write forwarded over a link, applied under the principal it carries, or refused (owner-authority.ts). */
export type ForwardedWriteAuthority = (request: WriteRequest__Output, from: LinkSession) => Promise<WriteOutcome>;

export class WriteRouter {
  constructor(
    private readonly store: Store,
    private readonly routes: Routes,
    private readonly clock: Clock,
    private readonly authority: ForwardedWriteAuthority,
    private readonly timed: TimedStage = () => undefined,
  ) {}

  async write(dataset: string, mutations: Mutation[], timeoutMs: number, hops = 0, origin = this.routes.self, ownerHint = '', cameFrom?: LinkSession, principal = currentWriteContext()?.principal): Promise<WriteOutcome> {
    const info = this.store.dataset(dataset);
    const ownerRun = currentWriteContext()?.ownerRun;
    if (ownerRun && ownerRun.dataset !== dataset) return { owner: '', epoch: '', seq: 0 }; // another owner's part of a forwarded call
    if (!info && ownerHint === this.routes.self) throw new FailedPreconditionError(`dataset ${dataset} does not exist at its owner ${this.routes.self}`);
    if (info?.role === 'owner') {
      const changes = await this.store.write(dataset, mutations);
      // The epoch the changes were written under (their own transaction's), not the one read before it.
      const result: WriteOutcome = { ...outcome(this.routes.self, changes.at(-1)?.epoch ?? info.epoch, changes), changes: sharedChanges(dataset, changes) };
      if (ownerRun) ownerRun.outcome = result;
      return result;
    }
    if (ownerRun) throw new FailedPreconditionError(`${dataset} is not owned by ${this.routes.self}, where a call forwarded for it was run`);
    if (hops >= MAX_HOPS) throw new FailedPreconditionError(`write to ${dataset} passed ${MAX_HOPS} nodes without reaching its owner; the topology has a loop`);
    const owner = info?.owner ?? (ownerHint || undefined);
    // Never send a write back over the link it came in on: that is how loops start.
    const towardChild = owner ? this.routes.childToward(owner) : undefined;
    const child = towardChild === cameFrom ? undefined : towardChild;
    const ownerText = owner ? `its owner ${owner}` : 'its owner';
    if (child) return this.forward(child, { dataset, mutations, timeoutMs, hops, origin, ownerHint, principal }, owner, false);
    const upward = this.routes.parent();
    const parent = upward?.session === cameFrom ? undefined : upward;
    if (owner && this.routes.isBelow(owner) && !parent) {
      throw new UnavailableError(`cannot write ${dataset} at ${this.routes.self}: ${ownerText} is below this node but not connected now; the write was not applied, retry when it is back`);
    }
    // (A child that lost its link to us may have moved to a fallback parent: up is worth a try.)
    if (this.routes.isCore) {
      if (owner && this.routes.isBelow(owner)) {
        throw new UnavailableError(`cannot write ${dataset} at ${this.routes.self}: ${ownerText} is not connected now; the write was not applied, retry when it is back`);
      }
      if (this.routes.coreGroupMember) {
        throw new UnavailableError(`cannot write ${dataset} at this member of the core group: ${ownerText} is not linked to it (its branch may be linked to another member); the write was not applied — send it to another member or to a node in that branch`);
      }
      throw new NotFoundError(`dataset ${dataset} does not exist in the federation${owner ? ` (its owner ${owner} is not known to the core)` : ''}`);
    }
    if (!parent) {
      throw new UnavailableError(
        `cannot write ${dataset} at ${this.routes.self}: ${ownerText === 'its owner' ? 'the owner' : owner} is unreachable (${this.routes.parentDownText()}); the write was not applied, retry when the link is back`,
      );
    }
    return this.forward(parent.session, { dataset, mutations, timeoutMs, hops, origin, ownerHint, principal }, owner, true);
  }

  /** A write that arrived over a link from a neighbour: the owner authorises it under its principal; others pass it on. */
  async serve(request: WriteRequest__Output, from: LinkSession): Promise<WriteResult> {
    const result = this.store.dataset(request.dataset)?.role === 'owner'
      ? await this.authority(request, from)
      : await this.write(request.dataset, fromWireMutations(request.mutations), Math.max(1, request.timeoutMs - 50), request.hops, request.origin, request.ownerHint, from, request.principal ?? undefined);
    return { epoch: result.epoch, seq: result.seq, owner: result.owner, ...(result.changes ? { changes: toWireChanges(result.changes) } : {}) };
  }

  /**
   * A client's write at this node: routed to the owner, then visible here
   * before it returns (read-your-writes), all within one deadline.
   */
  async writeVisible(dataset: string, mutations: Mutation[], timeoutMs: number, ownerHint = ''): Promise<WriteOutcome> {
    const startMs = this.clock.nowMs();
    const outcome = await this.write(dataset, mutations, timeoutMs, 0, this.routes.self, ownerHint);
    if (currentWriteContext()?.ownerRun) return outcome; // the owner running a forwarded call: nothing to wait for
    const leftMs = Math.max(1, timeoutMs - (this.clock.nowMs() - startMs));
    const held = this.store.dataset(dataset);
    if (held === undefined) return outcome; // not replicated to this node: nothing to read here
    // Written here, in our own store's transaction: visible already (its epoch may have been renewed since, keeping it).
    // (A core group member's shared dataset is the exception: written in etcd, it arrives through the mirror.)
    if (outcome.owner === this.routes.self && held.role === 'owner' && !held.shared) return outcome;
    const waitStartNs = this.clock.monotonicNs();
    await this.applyShared(dataset, outcome);
    const visible = await this.waitForSeq(dataset, outcome.epoch, outcome.seq, leftMs);
    if (outcome.owner !== this.routes.self) this.timed('visible', msSince(this.clock, waitStartNs));
    if (!visible) {
      const now = this.store.dataset(dataset);
      const holds = now ? `${now.role} at epoch ${now.epoch} seq ${now.seq}` : 'nothing';
      throw new UnavailableError(`${dataset} was written at its owner ${outcome.owner} (epoch ${outcome.epoch} seq ${outcome.seq}) but has not reached ${this.routes.self} within ${timeoutMs} ms (it holds ${holds}); it will arrive when replication catches up — read again later rather than writing again`);
    }
    return outcome;
  }

  /**
   * The owner's changes, come down with its answer from our parent (the
   * node that relays the owner's data to us anyway): applied now if they
   * follow on from our replica, so the caller need not wait for replication.
   * Replication brings them again later, and skips them (exactly once).
   */
  private async applyShared(dataset: string, outcome: WriteOutcome): Promise<void> {
    const changes = outcome.changes;
    if (!changes?.length || !outcome.fromParent || !sharedChanges(dataset, changes)) return;
    const held = this.store.dataset(dataset);
    if (held?.role !== 'replica' || held.owner !== outcome.owner || held.epoch !== outcome.epoch || held.seq !== changes[0]!.seq - 1) return;
    await this.store.apply(changes).catch(() => undefined); // a gap or a race with replication: replication brings them
  }

  /** Resolves once the local replica of `dataset` has reached `seq` (read-your-writes), or at the deadline. */
  waitForSeq(dataset: string, epoch: string, seq: number, timeoutMs: number): Promise<boolean> {
    const reached = (): boolean => {
      const info = this.store.dataset(dataset);
      return info !== undefined && info.epoch === epoch && info.seq >= seq;
    };
    if (reached()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => finish(false), timeoutMs);
      const unsubscribe = this.store.onChange((names) => {
        if (names.includes(dataset) && reached()) finish(true);
      });
      const finish = (ok: boolean): void => {
        timer.cancel();
        unsubscribe();
        resolve(ok);
      };
    });
  }

  private async forward(session: LinkSession, w: { dataset: string; mutations: Mutation[]; timeoutMs: number; hops: number; origin: string; ownerHint: string; principal: Principal | undefined }, owner: string | undefined, toParent: boolean): Promise<WriteOutcome> {
    const { dataset, timeoutMs } = w;
    let result;
    const sentNs = this.clock.monotonicNs();
    try {
      result = await session.request({ dataset, mutations: toWireMutations(w.mutations), origin: w.origin, hops: w.hops + 1, timeoutMs, ownerHint: w.ownerHint, ...(w.principal ? { principal: w.principal } : {}) }, timeoutMs);
    } catch (err) {
      throw new UnavailableError(`cannot write ${dataset} at ${this.routes.self}: owner ${owner ?? '(unknown)'} not reached through ${session.peerLabel}: ${(err as Error).message}; the write was not confirmed (check with a read before retrying)`, { cause: err });
    }
    this.timed('forward', msSince(this.clock, sentNs));
    if (result.errorCode) throw new StrataError(result.errorCode as ErrorCode, result.errorMessage);
    const answered = { owner: result.owner || owner || '(unknown)', epoch: result.epoch, seq: Number(result.seq) };
    let changes: Change[] | undefined;
    try {
      changes = result.changes.length > 0 ? fromWireBatch({ dataset, owner: answered.owner, epoch: answered.epoch, changes: result.changes, headSeq: 0, headTimeMs: 0 }) : undefined;
    } catch {
      changes = undefined; // not usable here: replication brings them
    }
    // Only what the owner shares, for this dataset and ending at the seq it answered.
    if (changes && changes[changes.length - 1]!.seq !== answered.seq) changes = undefined;
    return { ...answered, ...(changes ? { changes, fromParent: toParent } : {}) };
  }
}

function outcome(owner: string, epoch: string, changes: Change[]): WriteOutcome {
  return { owner, epoch, seq: changes.length > 0 ? changes[changes.length - 1]!.seq : 0 };
}
