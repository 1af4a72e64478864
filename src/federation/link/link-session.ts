// One live link between a child and its parent, seen from either end: the
// Hello exchange, heartbeats and the dead-link watchdog, replication both
// ways (Outbound/Inbound), status reports and forwarded writes. Which
// datasets flow which way is decided by the SessionPolicy the caller passes;
// connecting, failover and routing are elsewhere.

import type { Clock, Timer } from '../../kernel/clock';
import { StrataError, UnavailableError, errorMessage, type ErrorCode } from '../../kernel/errors';
import type { Logger } from '../../kernel/log';
import type { DatasetInfo, Store } from '../../store';
import type { Hello__Output } from '../grpc/generated/strata/v1/Hello';
import type { NodeReport, NodeReport__Output } from '../grpc/generated/strata/v1/NodeReport';
import type { WriteRequest, WriteRequest__Output } from '../grpc/generated/strata/v1/WriteRequest';
import type { WriteResult, WriteResult__Output } from '../grpc/generated/strata/v1/WriteResult';
import type { LinkMessage, LinkMessage__Output, LinkStream } from './link-stream';
import { Inbound, type Head } from './replication-in';
import { Outbound, type OutboundFilter } from './replication-out';

/**
 * The link protocol this code speaks (Hello.protocol_version). Compatibility
 * rule: a node links with peers one version older or newer than its own
 * (N−1, N, N+1), and the two speak the older one. So a fleet upgrades one
 * release at a time, in any order of nodes. Versions:
 * 1 — status reports carry every node below the sender, every heartbeat.
 * 2 — status reports carry only what changed (report-delta.ts); the parent
 *     counts the rest as seen through the child.
 */
export const PROTOCOL_VERSION = 2;
/** The oldest and newest peers this code links with. */
export const PROTOCOL_RANGE = { min: PROTOCOL_VERSION - 1, max: PROTOCOL_VERSION + 1 } as const;
const QUEUE_HIGH_WATER = 256;
const QUEUE_LOW_WATER = 32;

export interface LinkTiming {
  heartbeatMs: number;
  missedHeartbeats: number;
}

export interface HelloInfo {
  node: string;
  tier: string;
  subtree: string[];
  ancestors: string[];
  federationDomain: string;
  baseDn: string;
  upstreamConnected: boolean;
  zone: string;
  dnsAddress: string;
  ntpAddress: string;
  ldapAddress: string;
  /** The link protocol this side speaks (PROTOCOL_VERSION, or older when pinned by link.protocolVersion). */
  protocolVersion: number;
}

/** What decides the flows; one per side (parent or child). */
export interface SessionPolicy {
  /** Does this dataset go to this peer? (Asked of the datasets that changed; of all of them when the link starts.) */
  sends(peer: PeerView, dataset: DatasetInfo): boolean;
  accept(peer: PeerView, dataset: string, owner: string): boolean;
  created(peer: PeerView, dataset: string): Promise<void>;
  /** What this peer may not see of a dataset (undefined: everything as it is). */
  filter?(peer: PeerView, dataset: string): OutboundFilter | undefined;
}

export interface SessionHandlers {
  hello(session: LinkSession): void;
  /** The peer's zone or DNS address became known or changed (from a heartbeat). */
  peerUpdated?(session: LinkSession): void;
  status(session: LinkSession, nodes: NodeReport__Output[]): void;
  write(session: LinkSession, request: WriteRequest__Output): Promise<WriteResult>;
  ended(session: LinkSession, reason: string): void;
}

export interface PeerView {
  readonly name: string;
  readonly tier: string;
  /** The peer and every node below it that it reported (child peers). */
  readonly subtree: ReadonlySet<string>;
  readonly ancestors: readonly string[];
  readonly cursors: ReadonlyMap<string, { epoch: string; seq: number }>;
  readonly upstreamConnected: boolean;
  readonly federationDomain: string;
  readonly baseDn: string;
  readonly zone: string;
  readonly dnsAddress: string;
  readonly ntpAddress: string;
  readonly ldapAddress: string;
  /** The protocol both sides speak on this link: the older of the two. */
  readonly protocolVersion: number;
}

export class LinkSession {
  peer: PeerView | undefined;
  private readonly outbound: Outbound;
  private readonly inbound: Inbound;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private heartbeatTimer: Timer | undefined;
  private lastHeardMs: number;
  private nextRequestId = 1;
  private readonly pending = new Map<number, { resolve: (r: WriteResult__Output) => void; reject: (e: Error) => void }>();
  private unsubscribe: (() => void) | undefined;
  private isEnded = false;
  private readonly startedMs: number;

  constructor(
    private readonly stream: LinkStream,
    private readonly store: Store,
    policy: SessionPolicy,
    private readonly handlers: SessionHandlers,
    private readonly local: () => HelloInfo,
    private readonly timing: LinkTiming,
    private readonly clock: Clock,
    readonly logger: Logger,
    readonly peerLabel: string,
  ) {
    const send = (m: LinkMessage): Promise<void> => this.stream.send(m);
    this.outbound = new Outbound(store, send, (info) => (this.peer ? policy.sends(this.peer, info) : false), logger, (err) => this.close(`replication send failed: ${errorMessage(err)}`), (dataset) => (this.peer ? policy.filter?.(this.peer, dataset) : undefined));
    this.inbound = new Inbound(store, send, {
      accept: (d, o) => this.peer !== undefined && policy.accept(this.peer, d, o),
      created: (d) => (this.peer ? policy.created(this.peer, d) : Promise.resolve()),
    }, logger);
    this.startedMs = clock.nowMs();
    this.lastHeardMs = this.startedMs;
    stream.onMessage((m) => this.receive(m));
    stream.onEnd((reason) => this.end(reason));
  }

  get ended(): boolean {
    return this.isEnded;
  }

  private endWaiters: Array<() => void> = [];

  /** Runs `fn` once the session has ended (at once if it already has). */
  onEnded(fn: () => void): void {
    if (this.isEnded) fn();
    else this.endWaiters.push(fn);
  }

  get lastHeard(): number {
    return this.lastHeardMs;
  }

  get heads(): ReadonlyMap<string, Head> {
    return this.inbound.heads;
  }

  /** Send our Hello (with our replica cursors) and start heartbeats. */
  start(): void {
    const hello = this.local();
    void this.stream
      .send({ hello: { ...hello, cursors: this.store.cursors() } })
      .catch(() => undefined);
    this.heartbeatTimer = this.clock.setInterval(() => this.tick(), this.timing.heartbeatMs).unref();
  }

  sendStatus(nodes: NodeReport[]): void {
    void this.stream.send({ status: { nodes } }).catch(() => undefined);
  }

  /** Forward a write over this link; resolves with the owner's answer. */
  request(request: Omit<WriteRequest, 'id'>, timeoutMs: number): Promise<WriteResult__Output> {
    const id = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.pending.delete(id);
        reject(new UnavailableError(`no answer from ${this.peerLabel} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (r) => {
          timer.cancel();
          resolve(r);
        },
        reject: (e) => {
          timer.cancel();
          reject(e);
        },
      });
      this.stream.send({ writeRequest: { ...request, id } }).catch((err: Error) => this.pending.get(id)?.reject(err));
    });
  }

  close(reason: string): void {
    this.stream.close(reason);
    this.end(reason);
  }

  private tick(): void {
    const silentMs = this.clock.nowMs() - this.lastHeardMs;
    if (silentMs > this.timing.heartbeatMs * this.timing.missedHeartbeats) {
      this.close(`no message from ${this.peerLabel} for ${silentMs} ms (missed heartbeats)`);
      return;
    }
    const local = this.local();
    void this.stream
      .send({ heartbeat: { sentMs: this.clock.nowMs(), upstreamConnected: local.upstreamConnected, zone: local.zone, dnsAddress: local.dnsAddress, ntpAddress: local.ntpAddress, ldapAddress: local.ldapAddress, federationDomain: local.federationDomain, baseDn: local.baseDn } })
      .catch(() => undefined);
  }

  private receive(message: LinkMessage__Output): void {
    this.lastHeardMs = this.clock.nowMs();
    switch (message.body) {
      case 'heartbeat':
        if (this.peer && message.heartbeat) this.onHeartbeat(message.heartbeat);
        return;
      case 'status':
        if (this.peer && message.status) this.handlers.status(this, message.status.nodes);
        return;
      case 'writeRequest':
        if (message.writeRequest) {
          if (this.peer) void this.serveWrite(message.writeRequest);
          else void this.stream.send({ writeResult: { id: message.writeRequest.id, errorCode: 'FAILED_PRECONDITION', errorMessage: 'say Hello before writing' } }).catch(() => undefined);
        }
        return;
      case 'writeResult':
        if (message.writeResult) this.pending.get(Number(message.writeResult.id))?.resolve(message.writeResult);
        this.pending.delete(Number(message.writeResult?.id));
        return;
      case 'resync':
        if (message.resync) this.outbound.resync(message.resync.dataset);
        return;
      case 'ack':
        return;
      default:
        this.enqueue(message);
    }
  }

  /** Replication messages are applied strictly in arrival order. */
  private enqueue(message: LinkMessage__Output): void {
    // Backpressure: stop reading from the peer while many messages wait to be applied,
    // so a large snapshot or a burst never piles up in memory.
    if (++this.queued === QUEUE_HIGH_WATER) this.stream.pause();
    this.queue = this.queue
      .then(() => this.handleOrdered(message))
      .catch((err: unknown) => {
        if (this.isEnded) return;
        this.logger.error({ err, peer: this.peerLabel }, 'replication apply failed; closing the link to retry');
        this.close(`apply failed: ${errorMessage(err)}`);
      })
      .finally(() => {
        if (--this.queued === QUEUE_LOW_WATER) this.stream.resume();
      });
  }

  private async handleOrdered(message: LinkMessage__Output): Promise<void> {
    if (this.isEnded) return;
    switch (message.body) {
      case 'hello':
        return this.onHello(message.hello!);
      case 'changes':
        return this.inbound.onBatch(message.changes!);
      case 'snapshotBegin':
        return this.inbound.onSnapshotBegin(message.snapshotBegin!);
      case 'snapshotChunk':
        return this.inbound.onSnapshotChunk(message.snapshotChunk!);
      case 'snapshotEnd':
        return this.inbound.onSnapshotEnd(message.snapshotEnd!.dataset);
      default:
        return;
    }
  }

  private onHello(hello: Hello__Output): void {
    if (this.peer) return;
    const theirs = hello.protocolVersion;
    if (theirs < PROTOCOL_RANGE.min || theirs > PROTOCOL_RANGE.max) {
      this.close(`node ${hello.node || '?'} speaks link protocol ${theirs}; node ${this.local().node} (protocol ${PROTOCOL_VERSION}) links with protocols ${PROTOCOL_RANGE.min}–${PROTOCOL_RANGE.max} only: upgrade (or downgrade) one release at a time (README: Upgrading)`);
      return;
    }
    const cursors = new Map(hello.cursors.map((c) => [c.dataset, { epoch: c.epoch, seq: Number(c.seq) }]));
    this.peer = {
      name: hello.node,
      tier: hello.tier,
      subtree: new Set([hello.node, ...hello.subtree]),
      ancestors: hello.ancestors,
      cursors,
      upstreamConnected: hello.upstreamConnected,
      federationDomain: hello.federationDomain,
      baseDn: hello.baseDn,
      zone: hello.zone,
      dnsAddress: hello.dnsAddress,
      ntpAddress: hello.ntpAddress,
      ldapAddress: hello.ldapAddress,
      protocolVersion: Math.min(theirs, this.local().protocolVersion),
    };
    for (const [dataset, cursor] of cursors) this.outbound.setPeerCursor(dataset, cursor);
    this.handlers.hello(this);
    if (this.stream.ended) return; // the handler refused the peer (e.g. its certificate names another node)
    this.unsubscribe = this.store.onChange((names) => this.outbound.kick(names));
    this.outbound.kick();
  }

  /** Heartbeats repeat what may have been unknown at Hello time (zone, DNS, NTP and LDAP addresses, federation). */
  private onHeartbeat(heartbeat: { upstreamConnected: boolean; zone: string; dnsAddress: string; ntpAddress: string; ldapAddress: string; federationDomain: string; baseDn: string }): void {
    const peer = this.peer as { -readonly [K in keyof PeerView]: PeerView[K] };
    peer.upstreamConnected = heartbeat.upstreamConnected;
    let changed = false;
    for (const field of ['zone', 'dnsAddress', 'ntpAddress', 'ldapAddress', 'federationDomain', 'baseDn'] as const) {
      if (heartbeat[field] && heartbeat[field] !== peer[field]) {
        peer[field] = heartbeat[field];
        changed = true;
      }
    }
    if (changed) this.handlers.peerUpdated?.(this);
  }

  /** Keep only the reported subtree members `allowed` says the peer may speak for (its placement, DESIGN §7). */
  restrictSubtree(allowed: (name: string) => boolean): void {
    if (!this.peer) return;
    const subtree = this.peer.subtree as Set<string>;
    for (const name of subtree) if (name !== this.peer.name && !allowed(name)) subtree.delete(name);
  }

  /** A child reported nodes below it: they are part of its subtree from now on. */
  extendSubtree(names: Iterable<string>): void {
    if (!this.peer) return;
    const subtree = this.peer.subtree as Set<string>;
    for (const name of names) subtree.add(name);
  }

  private async serveWrite(request: WriteRequest__Output): Promise<void> {
    let result: WriteResult;
    try {
      result = await this.handlers.write(this, request);
    } catch (err) {
      const code: ErrorCode = err instanceof StrataError ? err.code : 'INTERNAL';
      result = { errorCode: code, errorMessage: errorMessage(err) };
    }
    await this.stream.send({ writeResult: { ...result, id: request.id } }).catch(() => undefined);
  }

  private end(reason: string): void {
    if (this.isEnded) return;
    this.isEnded = true;
    this.heartbeatTimer?.cancel();
    this.unsubscribe?.();
    this.outbound.close();
    void this.inbound.close();
    for (const { reject } of this.pending.values()) reject(new UnavailableError(`link to ${this.peerLabel} went down: ${reason}`));
    this.pending.clear();
    this.handlers.ended(this, reason);
    for (const fn of this.endWaiters.splice(0)) fn();
  }
}
