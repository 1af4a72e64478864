// The links of one node's children (this node is their parent): a child's
// stream accepted, its Hello admitted (or the link refused, saying why), its
// status reports and forwarded writes taken, and which child leads to a node
// below. Who may link and what it may say is the admission's (enrolment/);
// flows are the session policy's; the uplink (uplink.ts) is the other side.

import type { Clock } from '../../kernel/clock';
import type { Logger } from '../../kernel/log';
import type { Store } from '../../store';
import type { NodeReport__Output } from '../grpc/generated/strata/v1/NodeReport';
import type { WriteRequest__Output } from '../grpc/generated/strata/v1/WriteRequest';
import type { WriteResult } from '../grpc/generated/strata/v1/WriteResult';
import { LinkSession, type HelloInfo, type LinkTiming, type PeerView, type SessionPolicy } from './link-session';
import type { LinkStream } from './link-stream';
import type { TopologyView } from './reports/topology-view';

/** What decides whether a child may link and what it may say (enrolment/child-admission.ts). */
export interface ChildAdmission<Identity> {
  /** Why the child is refused, or undefined to admit it. */
  admit(session: LinkSession, peer: PeerView, identity: Identity | undefined): string | undefined;
  /** May reports and routes through `child` speak for `node`? */
  speaksFor(child: string, node: string): boolean;
  ownReports(child: string, nodes: NodeReport__Output[]): NodeReport__Output[];
  /** Throws if `child` may not forward a write made at `origin`. */
  checkOrigin(child: string, origin: string): void;
}

export interface ChildLinksDeps<Identity> {
  self: string;
  store(): Store | undefined;
  policy: SessionPolicy;
  admission(): ChildAdmission<Identity>;
  serve(request: WriteRequest__Output, session: LinkSession): Promise<WriteResult>;
  /** The child's zone and DNS address are known or changed: delegate to it (or not). */
  delegate(session: LinkSession): void;
  hello(): HelloInfo;
  /** The link protocol this node speaks (a node pinned to 1 behaves as one of that release: it does not count unreported nodes as seen). */
  protocolVersion: number;
  view: TopologyView;
  link: LinkTiming;
  /** Children catching up at once at most; one more is refused as busy and tries again after its jittered backoff. */
  admitAtOnce: number;
  clock: Clock;
  logger: Logger;
}

/** A parent's default link.admitAtOnce. */
export const DEFAULT_ADMIT_AT_ONCE = 64;
/** A child counts as catching up for this long at least (or a heartbeat interval, if shorter): admissions are spread out even when what it missed is sent at once. */
const JOINING_FLOOR_MS = 250;

export class ChildLinks<Identity> {
  private readonly sessions = new Map<string, LinkSession>();
  /**
   * Children admitted and not yet caught up (sent everything they were missing at their Hello), each for
   * JOINING_FLOOR_MS at least. When a regional goes, all its sites come to the fallback parent at once:
   * it takes admitAtOnce of them at a time and refuses the others as busy; each retries after its own
   * jittered backoff (parent-link.ts).
   */
  private readonly joining = new Set<LinkSession>();
  /** Children refused as busy since start, and the most that were catching up at once. */
  readonly admissions = { deferred: 0, mostJoining: 0 };

  constructor(private readonly deps: ChildLinksDeps<Identity>) {}

  get(name: string): LinkSession | undefined {
    return this.sessions.get(name);
  }

  values(): IterableIterator<LinkSession> {
    return this.sessions.values();
  }

  /** A child's stream: a session that admits it at its Hello. */
  accept(stream: LinkStream, identity: Identity | undefined): void {
    const { deps } = this;
    const store = deps.store();
    if (!store) {
      stream.close('node is starting');
      return;
    }
    const session = new LinkSession(stream, { store, policy: deps.policy, local: () => deps.hello(), timing: deps.link, clock: deps.clock, logger: deps.logger, peerLabel: 'child', handlers: {
      hello: (s) => {
        const name = s.peer!.name;
        if (this.joining.size >= deps.admitAtOnce) {
          this.admissions.deferred++;
          deps.logger.info({ child: name, joining: this.joining.size }, 'child link deferred: as many children as link.admitAtOnce are catching up here');
          s.close(`link refused by ${deps.self}: busy, ${this.joining.size} children are catching up here; try again shortly`);
          return;
        }
        const admission = deps.admission();
        const refusal = admission.admit(s, s.peer!, identity);
        if (refusal) {
          deps.logger.warn({ child: name, reason: refusal }, 'child link refused');
          s.close(`link refused by ${deps.self}: ${refusal}`);
          return;
        }
        // Its Hello's list of nodes below it counts only for nodes placed under it: routing follows it.
        s.restrictSubtree((node) => admission.speaksFor(name, node));
        this.sessions.set(name, s);
        this.joining.add(s);
        this.admissions.mostJoining = Math.max(this.admissions.mostJoining, this.joining.size);
        const floor = new Promise<void>((resolve) => deps.clock.setTimeout(resolve, Math.min(deps.link.heartbeatMs, JOINING_FLOOR_MS)).unref());
        void Promise.all([s.caughtUp, floor]).then(() => this.joining.delete(s));
        const nowMs = deps.clock.nowMs();
        deps.view.update(name, [{ name, tier: s.peer!.tier, parent: deps.self, connected: true, lastSeenMs: nowMs, datasets: [], grpcAddress: '', uptimeMs: 0, clock: null }], nowMs);
        deps.logger.info({ child: name, protocol: s.peer!.protocolVersion }, 'child linked');
        deps.delegate(s);
      },
      peerUpdated: (s) => deps.delegate(s),
      status: (s, nodes) => {
        const own = deps.admission().ownReports(s.peer!.name, nodes);
        s.extendSubtree(own.map((n) => n.name));
        deps.view.update(s.peer!.name, own, deps.clock.nowMs());
        // Since protocol 2 a child sends reports when they change (report-delta.ts): what it did not report is seen through it.
        // (Also for a child that says 1: builds between the deltas and the version bump sent deltas under 1; a true 1 sends everything anyway.)
        if (deps.protocolVersion >= 2) deps.view.touch(s.peer!.name, deps.clock.nowMs());
      },
      write: async (s, request) => {
        deps.admission().checkOrigin(s.peer!.name, request.origin || s.peer!.name);
        return deps.serve(request, s);
      },
      ended: (s, reason) => {
        this.joining.delete(s);
        const name = s.peer?.name;
        if (!name || this.sessions.get(name) !== s) return;
        this.sessions.delete(name);
        deps.view.linkLost(name);
        deps.logger.warn({ child: name, reason }, 'child link ended');
      },
    } });
    session.start();
  }

  /** The child link that leads to `owner`: the child itself, one whose subtree holds it, or the route reports gave. */
  toward(owner: string): LinkSession | undefined {
    const direct = this.sessions.get(owner);
    if (direct) return direct;
    for (const session of this.sessions.values()) if (session.peer?.subtree.has(owner)) return session;
    const via = this.deps.view.routeTo(owner);
    return via ? this.sessions.get(via) : undefined;
  }

  closeAll(reason: string): void {
    for (const session of this.sessions.values()) session.close(reason);
    this.sessions.clear();
  }
}
