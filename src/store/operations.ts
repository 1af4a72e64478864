// Bookkeeping for the Store's operations: refuse new ones once closing, keep
// the async ones in flight so close() can wait for them, release snapshot
// readers still open at close, and turn unexpected failures into StoreErrors.
// It does not know what the operations do.

import { FailedPreconditionError } from '../kernel/errors';
import { asStoreError } from './store-error';

export class Operations {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly readers = new Set<() => void>();
  private closed = false;

  constructor(private readonly dir: string) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs an async operation; sync throws become rejections too. */
  run<T>(action: string, dataset: string | undefined, op: () => Promise<T>): Promise<T> {
    let result: Promise<T>;
    try {
      this.assertOpen(action);
      result = op();
    } catch (err) {
      result = Promise.reject(err);
    }
    const wrapped = result.catch((err: unknown) => {
      throw asStoreError(action, this.dir, err, dataset);
    });
    this.pending.add(wrapped);
    const forget = () => this.pending.delete(wrapped);
    wrapped.then(forget, forget);
    return wrapped;
  }

  read<T>(action: string, dataset: string | undefined, op: () => T): T {
    this.assertOpen(action);
    try {
      return op();
    } catch (err) {
      throw asStoreError(action, this.dir, err, dataset);
    }
  }

  /** Remembers a reader's release function until it is called or the store closes. */
  trackReader(release: () => void): () => void {
    const tracked = () => {
      this.readers.delete(tracked);
      release();
    };
    this.readers.add(tracked);
    return tracked;
  }

  /** Refuses new operations, waits for the pending ones, releases open readers. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    for (const release of [...this.readers]) release();
  }

  assertOpen(action: string): void {
    if (this.closed) throw new FailedPreconditionError(`cannot ${action}: store ${this.dir} is closed`);
  }
}
