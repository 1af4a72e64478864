// The store's change listeners (Store.onChange): told synchronously after a
// commit, with the datasets it touched; one that throws is logged, and the
// others are still told.

import type { Logger } from '../kernel/log';

export type ChangeListener = (datasets: readonly string[]) => void;

export class ChangeListeners {
  private readonly listeners = new Set<ChangeListener>();

  constructor(private readonly logger: Logger) {}

  /** Returns the unsubscribe function. */
  add(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(datasets: readonly string[]): void {
    for (const listener of this.listeners) {
      try {
        listener(datasets);
      } catch (err) {
        this.logger.error({ err, datasets }, 'store change listener failed');
      }
    }
  }
}
