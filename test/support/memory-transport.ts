// Links between nodes of one process (the scale simulation, issue 13): every
// message is encoded and decoded with the real LinkService protobuf codec and
// delivered after the link's latency, in order; a link can be cut (a
// blackhole: messages vanish, heartbeats notice) and healed; a node's
// address can be made unreachable (its links end, new ones are refused).
// Bytes are counted per receiving node.

import { formatHostPort } from '../../src/kernel/host-port';
import { strataProto } from '../../src/federation/grpc/grpc-adapter';
import type { ChildIdentity } from '../../src/federation/enrolment/child-identity';
import type { LinkMessage, LinkMessage__Output, LinkStream } from '../../src/federation/link/link-stream';
import type { LinkTransport, ParentState } from '../../src/federation/link/link-transport';
import type { ParentRef } from '../../src/federation/link/parent-ref';

type Accept = (stream: LinkStream, identity: ChildIdentity | null | undefined) => void;

const codec = (): { encode: (m: LinkMessage) => Buffer; decode: (b: Buffer) => LinkMessage__Output } => {
  const method = strataProto().LinkService.service.Link;
  return { encode: (m) => method.requestSerialize(m), decode: (b) => method.requestDeserialize(b) as LinkMessage__Output };
};

class End implements LinkStream {
  peer!: End;
  private handlers: Array<(m: LinkMessage__Output) => void> = [];
  private endHandlers: Array<(reason: string) => void> = [];
  private isEnded = false;
  private paused = false;
  private readonly held: LinkMessage__Output[] = [];
  /** Messages on their way from this end, in order, each with when it arrives; one timer delivers them. */
  private readonly inFlight: Array<{ atMs: number; bytes: Buffer }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly link: MemoryLink, readonly node: string) {}

  get ended(): boolean {
    return this.isEnded;
  }

  send(message: LinkMessage): Promise<void> {
    if (this.isEnded) return Promise.reject(new Error(`link ${this.link.label} ended`));
    const bytes = this.link.transport.codec.encode(message);
    if (this.link.cut) return Promise.resolve(); // a blackhole: the sender cannot tell
    this.link.transport.count(this.peer.node, bytes.length);
    this.inFlight.push({ atMs: performance.now() + this.link.latencyMs, bytes });
    this.arm();
    return Promise.resolve();
  }

  /** Delivers what has arrived, in the order sent (timers of different delays could overtake each other). */
  private arm(): void {
    if (this.timer || this.inFlight.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const now = performance.now();
      while (this.inFlight.length > 0 && this.inFlight[0]!.atMs <= now + 0.5) {
        const { bytes } = this.inFlight.shift()!;
        if (!this.link.cut) this.peer.deliver(this.link.transport.codec.decode(bytes));
      }
      this.arm();
    }, Math.max(0, this.inFlight[0]!.atMs - performance.now()));
  }

  deliver(message: LinkMessage__Output): void {
    if (this.isEnded) return;
    // Held while paused, and until someone listens (as a socket buffers what nobody has read yet).
    if (this.paused || this.handlers.length === 0) this.held.push(message);
    else for (const h of this.handlers) h(message);
  }

  onMessage(handler: (m: LinkMessage__Output) => void): void {
    this.handlers.push(handler);
    if (this.handlers.length === 1 && !this.paused) queueMicrotask(() => this.resume());
  }

  onEnd(handler: (reason: string) => void): void {
    this.endHandlers.push(handler);
  }

  close(reason: string): void {
    this.link.end(reason);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    while (!this.paused && this.held.length > 0) this.deliver(this.held.shift()!);
  }

  finish(reason: string): void {
    if (this.isEnded) return;
    this.isEnded = true;
    for (const h of this.endHandlers) h(reason);
  }
}

class MemoryLink {
  readonly child: End;
  readonly parent: End;
  cut = false;

  constructor(readonly transport: MemoryTransport, readonly childName: string, readonly parentAddress: string, readonly latencyMs: number) {
    this.child = new End(this, childName);
    this.parent = new End(this, parentAddress);
    this.child.peer = this.parent;
    this.parent.peer = this.child;
  }

  get label(): string {
    return `${this.childName} → ${this.parentAddress}`;
  }

  /** Both ends end, the far one after the link's latency (as a FIN or RST travels). */
  end(reason: string): void {
    this.transport.forget(this);
    this.child.finish(reason);
    setTimeout(() => this.parent.finish(reason), this.latencyMs);
  }
}

export class MemoryTransport implements LinkTransport {
  readonly codec = codec();
  private readonly listeners = new Map<string, { node: string; accept: Accept }>();
  private readonly links = new Set<MemoryLink>();
  private readonly cutNodes = new Set<string>();
  private readonly down = new Set<string>();
  /** Bytes received per node (by name for children, by address for parents). */
  readonly received = new Map<string, number>();

  /** `latencyMs(child, parentAddress)`: one way, per message. */
  constructor(private readonly latencyMs: (child: string, parentAddress: string) => number = () => 0) {}

  listen(address: string, accept: Accept): () => void {
    this.listeners.set(address, { node: address, accept });
    return () => {
      if (this.listeners.get(address)?.accept === accept) this.listeners.delete(address);
    };
  }

  dial(parent: ParentRef, self: string): LinkStream {
    const address = formatHostPort(parent.address);
    const link = new MemoryLink(this, self, address, this.latencyMs(self, address));
    const target = this.listeners.get(address);
    if (!target || this.down.has(address)) {
      setTimeout(() => link.end(`connect ECONNREFUSED ${address}`), 1);
      return link.child;
    }
    if (this.cutNodes.has(self)) {
      link.cut = true; // the connection attempt vanishes; the child's hello timeout gives up
      this.links.add(link);
      return link.child;
    }
    this.links.add(link);
    setTimeout(() => {
      if (link.child.ended) return;
      if (!this.listeners.has(address)) link.end(`connect ECONNREFUSED ${address}`);
      else target.accept(link.parent, undefined);
    }, link.latencyMs);
    return link.child;
  }

  /** Set by the simulation: what the node at `address` says of itself. */
  prober: (address: string) => ParentState | undefined = () => undefined;

  probe(parent: ParentRef): Promise<ParentState> {
    const address = formatHostPort(parent.address);
    const latency = this.latencyMs('', address);
    return new Promise((resolve, reject) => setTimeout(() => {
      const state = this.down.has(address) ? undefined : this.prober(address);
      if (state) resolve(state);
      else reject(new Error(`${address} did not answer`));
    }, 2 * latency));
  }

  /** Blackholes every link `node` has as a child (its uplink), now and until heal(). */
  cut(node: string): void {
    this.cutNodes.add(node);
    for (const link of this.links) if (link.childName === node) link.cut = true;
  }

  /** Ends the blackholed links (as a restored path resets them) and lets new ones through. */
  heal(node: string): void {
    this.cutNodes.delete(node);
    for (const link of [...this.links]) if (link.childName === node && link.cut) link.end('connection reset');
  }

  /** Every link to or from `address` (a node's) ends; new ones are refused until up(). */
  kill(address: string, name: string): void {
    this.down.add(address);
    for (const link of [...this.links]) if (link.parentAddress === address || link.childName === name) link.end('connection reset by peer');
  }

  up(address: string): void {
    this.down.delete(address);
  }

  count(node: string, bytes: number): void {
    this.received.set(node, (this.received.get(node) ?? 0) + bytes);
  }

  forget(link: MemoryLink): void {
    this.links.delete(link);
  }
}
