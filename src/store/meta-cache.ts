// Every dataset's info, read in one scan and kept until a commit changes it.
// The write and replication paths ask for it several times per change; a
// node with thousands of datasets must not read them all again when one is
// created or removed, so touched names are refreshed in place.

import { toInfo, type Tables } from './layout';
import type { DatasetInfo } from './types';

export class MetaCache {
  private byName: Map<string, DatasetInfo> | undefined;
  private sortedNames: string[] | undefined;

  constructor(private readonly tables: Tables) {}

  view(): Map<string, DatasetInfo> {
    if (!this.byName) {
      this.byName = new Map([...this.tables.meta.range({})].map((r) => [r.value.name, Object.freeze(toInfo(r.value))]));
      this.sortedNames = undefined;
    }
    return this.byName;
  }

  /** The datasets' names in order (kept until a name comes or goes). */
  names(): string[] {
    const view = this.view();
    this.sortedNames ??= [...view.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return this.sortedNames;
  }

  /** After a commit: `touched` are read again (new and removed names too); without it, everything is. */
  refresh(touched: readonly string[] | undefined): void {
    const cache = this.byName;
    if (!cache) return;
    if (!touched) {
      this.drop();
      return;
    }
    for (const name of touched) {
      const meta = this.tables.meta.get(name);
      if (meta) {
        if (!cache.has(name)) this.sortedNames = undefined;
        cache.set(name, Object.freeze(toInfo(meta)));
      } else if (cache.delete(name)) {
        this.sortedNames = undefined;
      }
    }
  }

  drop(): void {
    this.byName = undefined;
    this.sortedNames = undefined;
  }
}
