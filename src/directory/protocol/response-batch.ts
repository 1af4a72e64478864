// The messages of one search's answer gathered into few socket writes: each
// write is a system call, and a search returning 10,000 entries made 10,000
// of them (or, corked, one writev of 10,000 small buffers). Entries go out
// in ~64 KB chunks, the last chunk with the done.

import type { Socket } from 'node:net';

const RESPONSE_BATCH_BYTES = 64 * 1024;

export class ResponseBatch {
  private chunks: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly socket: Socket) {}

  add(message: Buffer): void {
    this.chunks.push(message);
    this.bytes += message.length;
    if (this.bytes >= RESPONSE_BATCH_BYTES) this.flush();
  }

  /** Sends what is gathered with `done`, the search's last message. */
  end(done: Buffer): void {
    this.chunks.push(done);
    this.bytes += done.length;
    this.flush();
  }

  flush(): void {
    if (this.chunks.length === 0) return;
    this.socket.write(this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.bytes));
    this.chunks = [];
    this.bytes = 0;
  }
}

