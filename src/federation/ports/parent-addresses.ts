// The listeners a node's parents announced on the link (DNS, NTP, LDAP),
// kept in node state so the node can still use them while cut off or after a
// restart: naming asks the parents' DNS, time syncs from their NTP, the
// directory refers clients to their LDAP.

import type { Store } from '../../store';

export type ParentService = 'dns' | 'ntp' | 'ldap';

const STATE: Record<ParentService, string> = { dns: 'parent-dns', ntp: 'parent-ntp', ldap: 'parent-ldap' };

export class ParentAddresses {
  /** The last remember() queued: each waits for the one before. */
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly store: () => Store | undefined) {}

  /** Parent name → host:port of its `service` listener, as it last announced it. */
  known(service: ParentService): Record<string, string> {
    return (this.store()?.getState(STATE[service]) as Record<string, string> | undefined) ?? {};
  }

  /**
   * Records one parent's listener. Calls are serialised: each reads the map and writes it whole, and the
   * link records the parent it linked to while asking the others at once (two at a time lost one of them,
   * and a site then synced only from its fallback until the next link).
   */
  remember(service: ParentService, parent: string, address: string): Promise<void> {
    const next = this.writes.then(async () => {
      const store = this.store();
      if (!address || !store) return;
      const known = this.known(service);
      if (known[parent] !== address) await store.putState(STATE[service], { ...known, [parent]: address });
    });
    this.writes = next.catch(() => undefined);
    return next;
  }
}
