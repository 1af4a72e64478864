// Where each replica came from: 'down' (from the parent: an ancestor's data)
// or 'up' (from a child: a descendant's data). Persisted in the store's node
// state so a node rebooted while cut off still knows what to send up.

import type { Store } from '../../store';

export type Origin = 'up' | 'down';

const PREFIX = 'origin:';

export class Origins {
  private readonly cache = new Map<string, Origin>();

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
    await this.store.putState(`${PREFIX}${dataset}`, origin);
  }

  /** Owners of replicas that came up from children: the known subtree below this node. */
  descendants(): Set<string> {
    const names = new Set<string>();
    for (const info of this.store.datasets()) {
      if (info.role === 'replica' && this.of(info.name) === 'up') names.add(info.owner);
    }
    return names;
  }
}
