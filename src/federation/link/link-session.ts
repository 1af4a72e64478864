// One live link between a child and its parent, seen from either end: the
// driver of the link's state (link-state.ts: Hello, heartbeats, watchdog)
// over a stream and timers, replication both ways (Outbound/Inbound), status
// reports and forwarded writes. Which datasets flow which way is decided by
// the SessionPolicy the caller passes; connecting, failover and routing are
// elsewhere.

import type { Clock, Timer } from '../../kernel/clock';
import { StrataError, UnavailableError, errorMessage, type ErrorCode } from '../../kernel/errors';
import type { Logger } from '../../kernel/log';
import type { DatasetInfo, Store } from '../../store';
import type { NodeReport, NodeReport__Output } from '../grpc/generated/strata/v1/NodeReport';
import type { WriteRequest, WriteRequest__Output } from '../grpc/generated/strata/v1/WriteRequest';
import type { WriteResult, WriteResult__Output } from '../grpc/generated/strata/v1/WriteResult';
import type { LinkMessage, LinkMessage__Output, LinkStream } from './link-stream';
import { Inbound, type Head } from './replication-in';
import { Outbound, type OutboundFilter } from './replication-out';
import { applyHeartbeat, extendSubtree, heartbeatOf, peerFromHello, restrictSubtree, watchdog, type HelloInfo, type LinkTiming, type PeerView } from './link-state';
import type { Hello__Output } from '../grpc/generated/strata/v1/Hello';

export { PROTOCOL_RANGE, PROTOCOL_VERSION, type HelloInfo, type LinkTiming, type PeerView } from './link-state';

const QUEUE_HIGH_WATER = 256;
const QUEUE_LOW_WATER = 32;

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

/** What a session is made with. */
export interface LinkSessionOptions {
  store: Store;
  /** Which datasets flow which way (the child's or the parent's side). */
  policy: SessionPolicy;
  handlers: SessionHandlers;
  /** What this side says about itself, asked at Hello and at every heartbeat. */
  local: () => HelloInfo;
  timing: LinkTiming;
  clock: Clock;
  logger: Logger;
  /** How the peer is named in messages ("child", "parent eu"). */
  peerLabel: string;
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

  private readonly store: Store;
  private readonly handlers: SessionHandlers;
  private readonly local: () => HelloInfo;
  private readonly timing: LinkTiming;
  private readonly clock: Clock;
  readonly logger: Logger;
  readonly peerLabel: string;

  constructor(private readonly stream: LinkStream, options: LinkSessionOptions) {
    const { store, policy, clock, logger } = options;
    this.store = store;
    this.handlers = options.handlers;
    this.local = options.local;
    this.timing = options.timing;
    this.clock = clock;
    this.logger = logger;
    this.peerLabel = options.peerLabel;
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

  /** Resolves once the peer has been sent everything it was missing at the Hello (or the session ended). */
  get caughtUp(): Promise<void> {
    return this.outbound.caughtUp;
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
    const dead = watchdog(this.clock.nowMs(), this.lastHeardMs, this.timing, this.peerLabel);
    if (dead) {
      this.close(dead);
      return;
    }
    void this.stream.send({ heartbeat: heartbeatOf(this.local(), this.clock.nowMs()) }).catch(() => undefined);
  }

  private receive(message: LinkMessage__Output): void {
    this.lastHeardMs = this.clock.nowMs();
    switch (message.body) {
      case 'heartbeat':
        if (this.peer && message.heartbeat && applyHeartbeat(this.peer, message.heartbeat)) this.handlers.peerUpdated?.(this);
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
    const outcome = peerFromHello(hello, this.local());
    if ('refused' in outcome) {
      this.close(outcome.refused);
      return;
    }
    this.peer = outcome.peer;
    for (const [dataset, cursor] of this.peer.cursors) this.outbound.setPeerCursor(dataset, cursor);
    this.handlers.hello(this);
    if (this.stream.ended) return; // the handler refused the peer (e.g. its certificate names another node)
    this.unsubscribe = this.store.onChange((names) => this.outbound.kick(names));
    this.outbound.kick();
  }

  /** Keep only the reported subtree members `allowed` says the peer may speak for (its placement, DESIGN §7). */
  restrictSubtree(allowed: (name: string) => boolean): void {
    if (this.peer) restrictSubtree(this.peer, allowed);
  }

  /** A child reported nodes below it: they are part of its subtree from now on. */
  extendSubtree(names: Iterable<string>): void {
    if (this.peer) extendSubtree(this.peer, names);
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
