// Two LinkStreams joined in memory, with every message encoded and decoded by
// the real LinkService protobuf codec, so sessions can be tested in one
// process with a FakeClock. cut() silently drops messages (a blackhole).

import { strataProto } from '../../src/federation/grpc/grpc-adapter';
import type { LinkMessage, LinkMessage__Output, LinkStream } from '../../src/federation/link/link-stream';

class MemoryEnd implements LinkStream {
  peer!: MemoryEnd;
  private handlers: Array<(m: LinkMessage__Output) => void> = [];
  private endHandlers: Array<(reason: string) => void> = [];
  ended = false;
  constructor(private readonly pair: MemoryLinkPair) {}

  send(message: LinkMessage): Promise<void> {
    if (this.ended) return Promise.reject(new Error('stream ended'));
    const method = strataProto().LinkService.service.Link;
    const decoded = method.requestDeserialize(method.requestSerialize(message)) as LinkMessage__Output;
    if (!this.pair.isCut) setImmediate(() => this.peer.deliver(decoded));
    return Promise.resolve();
  }

  private paused = false;
  private readonly held: LinkMessage__Output[] = [];

  deliver(message: LinkMessage__Output): void {
    if (this.paused) {
      this.held.push(message);
      return;
    }
    if (!this.ended) for (const h of this.handlers) h(message);
  }

  onMessage(handler: (m: LinkMessage__Output) => void): void {
    this.handlers.push(handler);
  }

  onEnd(handler: (reason: string) => void): void {
    this.endHandlers.push(handler);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    for (const m of this.held.splice(0)) this.deliver(m);
  }

  close(reason: string): void {
    this.finish(reason);
    if (!this.pair.isCut) this.peer.finish(`peer closed: ${reason}`);
  }

  finish(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    for (const h of this.endHandlers.splice(0)) h(reason);
  }
}

export class MemoryLinkPair {
  readonly child: MemoryEnd;
  readonly parent: MemoryEnd;
  isCut = false;

  constructor() {
    this.child = new MemoryEnd(this);
    this.parent = new MemoryEnd(this);
    this.child.peer = this.parent;
    this.parent.peer = this.child;
  }

  cut(): void {
    this.isCut = true;
  }
}
