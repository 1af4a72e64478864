// Where each replica came from: 'down' (from the parent: an ancestor's data)
// or 'up' (from a child: a descendant's data). Persisted in the store's node
// state so a node rebooted while cut off still knows what to send up.

import type { Store } from '../../store';

export type Origin = 'up' | 'down';

const PREFIX = 'origin:';

export class Origins {
  private readonly cache = new Map<string, Origin>();
  /** descendants(), kept while the store's list of datasets (the same array until a name comes or goes) and every origin stay the same. */
  private memo: { names: readonly string[]; owners: Set<string> } | undefined;

  constructor(private readonly store: Store) {}

  of(dataset: string): Origin | undefined {
    let origin = this.cache.get(dataset);
    if (origin === undefined) {
      origin = this.store.getState(`${PREFIX}${dataset}`) as Origin | undefined;
      if (origin) this.cache.set(dataset, origin);
    }
    return origin;
  }

  async set(dataset: string, origin: Origin): Promise<void> {
    if (this.of(dataset) === origin) return;
    this.cache.set(dataset, origin);
    this.memo = undefined;
    await this.store.putState(`${PREFIX}${dataset}`, origin);
  }

  /**
   * Owners of replicas that came up from children: the known subtree below
   * this node. Read-only for callers: a core holding 10,000 sites' replicas
   * is asked this for every dataset a re-parenting child sends, so it is
   * computed again only when a dataset comes or goes or an origin changes.
   */
  descendants(): ReadonlySet<string> {
    const names = this.store.datasetNames();
    if (this.memo?.names === names) return this.memo.owners;
    const owners = new Set<string>();
    for (const info of this.store.datasets()) {
      if (info.role === 'replica' && this.of(info.name) === 'up') owners.add(info.owner);
    }
    this.memo = { names, owners };
    return owners;
  }
}
