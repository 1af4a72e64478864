// The messages of one search's answer gathered into few socket writes: each
// write is a system call, and a search returning 10,000 entries made 10,000
// of them (or, corked, one writev of 10,000 small buffers). Entries are
// written straight into a ~64 KB buffer (no buffer per entry, no copy to join
// them), sent when the next one does not fit; the last with the done. The
// first buffer is small (most searches find one entry: a 64 KB buffer each
// halved the searches/s), each next one twice the last, up to 64 KB.

import type { Socket } from 'node:net';
import { searchResultEntryPlan, writeSearchResultEntry } from './ber-frames';

const RESPONSE_BATCH_BYTES = 64 * 1024;
/** Under half of Node's buffer pool (8 KB): the first buffer is a slice of it, not an allocation. */
const FIRST_BATCH_BYTES = 2 * 1024;

export class ResponseBatch {
  private buf: Buffer | undefined;
  private at = 0;
  private nextBytes = FIRST_BATCH_BYTES;

  constructor(private readonly socket: Socket) {}

  /** A SearchResultEntry, encoded into the batch. */
  entry(messageId: number, dn: string, attrs: Record<string, readonly string[]>): void {
    const plan = searchResultEntryPlan(messageId, dn, attrs);
    if (this.buf && this.at + plan.size > this.buf.length) this.flush();
    if (!this.buf) {
      this.buf = Buffer.allocUnsafe(Math.max(this.nextBytes, plan.size));
      this.nextBytes = Math.min(RESPONSE_BATCH_BYTES, this.nextBytes * 2);
    }
    this.at = writeSearchResultEntry(this.buf, this.at, plan);
  }

  /** Sends what is gathered with `done`, the search's last message. */
  end(done: Buffer): void {
    if (this.buf && this.at + done.length <= this.buf.length) {
      this.at += done.copy(this.buf, this.at);
      this.flush();
      return;
    }
    this.flush();
    this.socket.write(done);
  }

  flush(): void {
    if (!this.buf || this.at === 0) return;
    // The socket owns what it was given: the next entries go into a new buffer.
    this.socket.write(this.buf.subarray(0, this.at));
    this.buf = undefined;
    this.at = 0;
  }
}
