// One end of a Link stream (client or server side of the gRPC bidi call),
// reduced to what a session needs: send with backpressure, receive, end.
// It knows nothing of what the messages mean.

import type { EventEmitter } from 'node:events';
import { UnavailableError } from '../../kernel/errors';
import type { LinkMessage, LinkMessage__Output } from '../grpc/generated/strata/v1/LinkMessage';

export type { LinkMessage, LinkMessage__Output };

export interface LinkStream {
  /** Resolves once the message is handed to gRPC (waits for 'drain' when its buffer is full). */
  send(message: LinkMessage): Promise<void>;
  onMessage(handler: (message: LinkMessage__Output) => void): void;
  /** Called once, when the stream ends for any reason. */
  onEnd(handler: (reason: string) => void): void;
  close(reason: string): void;
  /** Stop / restart delivering messages (flow control toward the peer). */
  pause(): void;
  resume(): void;
  readonly ended: boolean;
}

/** gRPC status ABORTED: the parent ended the link (the child reconnects). */
const ABORTED = 10;

/** The part of a grpc-js ClientDuplexStream / ServerDuplexStream we use. */
export type GrpcDuplex = EventEmitter & {
  write(message: LinkMessage): boolean;
  pause(): unknown;
  resume(): unknown;
  end(): void;
  destroy(): unknown;
  cancel?: () => void;
};

/** Wraps a grpc-js duplex (ClientDuplexStream or ServerDuplexStream). */
export class GrpcLinkStream implements LinkStream {
  private endHandlers: Array<(reason: string) => void> = [];
  private isEnded = false;
  private endReason = '';

  constructor(private readonly duplex: GrpcDuplex, private readonly peer: string) {
    duplex.on('error', (err: Error & { details?: string }) => this.finish(err.details || err.message));
    duplex.on('end', () => this.finish('stream ended by peer'));
    duplex.on('close', () => this.finish('stream closed'));
  }

  get ended(): boolean {
    return this.isEnded;
  }

  send(message: LinkMessage): Promise<void> {
    if (this.isEnded) return Promise.reject(new UnavailableError(`link to ${this.peer} is down: ${this.endReason}`));
    if (this.duplex.write(message)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onDrain = (): void => {
        cleanup();
        resolve();
      };
      const onEnd = (): void => {
        cleanup();
        reject(new UnavailableError(`link to ${this.peer} is down: ${this.endReason}`));
      };
      const cleanup = (): void => {
        this.duplex.off('drain', onDrain);
        this.endHandlers = this.endHandlers.filter((h) => h !== onEnd);
      };
      this.duplex.once('drain', onDrain);
      this.endHandlers.push(onEnd);
    });
  }

  onMessage(handler: (message: LinkMessage__Output) => void): void {
    this.duplex.on('data', handler);
  }

  pause(): void {
    if (!this.isEnded) this.duplex.pause();
  }

  resume(): void {
    if (!this.isEnded) this.duplex.resume();
  }

  onEnd(handler: (reason: string) => void): void {
    if (this.isEnded) handler(this.endReason);
    else this.endHandlers.push(handler);
  }

  close(reason: string): void {
    if (this.isEnded) return;
    if (this.duplex.cancel) {
      this.duplex.cancel();
      this.finish(reason);
      return;
    }
    // Server side: end the call with a status the peer sees (grpc-js turns an
    // 'error' on a server stream into the call's final status).
    this.finish(reason);
    this.duplex.emit('error', Object.assign(new Error(reason), { code: ABORTED, details: `link closed by the parent: ${reason}` }));
  }

  private finish(reason: string): void {
    if (this.isEnded) return;
    this.isEnded = true;
    this.endReason = reason;
    const handlers = this.endHandlers;
    this.endHandlers = [];
    for (const handler of handlers) handler(reason);
    // A client stream is torn down here; a server stream ends with its status (see close()).
    if (this.duplex.cancel) this.duplex.destroy();
  }
}
