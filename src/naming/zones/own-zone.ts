// Keeps this node's own DNS zone (DESIGN §1): the core owns the federation
// domain, every other node `<name>.<primary parent's zone>`, learned from the
// primary parent's Hello (or set in config) and kept once known. Creates the
// zone's dataset with its apex NS and glue, and as a parent publishes NS and
// glue for each child zone in its own zone. Writes only datasets it owns.

import { parseHostPort, type HostPort } from '../../kernel/host-port';
import type { Logger } from '../../kernel/log';
import { apexMutations, delegationMutations } from './zone-admin';
import { canonical, isInZone } from './names';
import { zoneDataset } from './zones';
import type { Store } from '../../store';

const ZONE_STATE = 'zone';

export interface ZoneKeeperOptions {
  name: string;
  isCore: boolean;
  /** From config (canonical), if set. */
  zoneOverride: string | undefined;
  federationDomain(): string | undefined;
  /** host:port of this node's DNS listener as others should reach it. */
  dnsAddress(): string | undefined;
}

export class ZoneKeeper {
  constructor(private readonly store: Store, private readonly options: ZoneKeeperOptions, private readonly logger: Logger) {}

  ownZone(): string | undefined {
    if (this.options.zoneOverride) return canonical(this.options.zoneOverride);
    if (this.options.isCore) {
      const domain = this.options.federationDomain();
      return domain === undefined ? undefined : canonical(domain);
    }
    return this.store.getState(ZONE_STATE) as string | undefined;
  }

  /** The primary parent told us its zone: ours is right below it (first time only). */
  async learnParentZone(parentZone: string): Promise<void> {
    if (!parentZone || this.ownZone() !== undefined) return;
    const zone = canonical(`${this.options.name}.${canonical(parentZone)}`);
    await this.store.putState(ZONE_STATE, zone);
    this.logger.info({ zone }, 'own DNS zone learned from the primary parent');
    await this.ensureOwn();
  }

  /** Create our zone's dataset and keep its apex NS/glue pointing at our DNS listener. */
  async ensureOwn(): Promise<void> {
    const zone = this.ownZone();
    const address = this.dnsHostPort();
    if (zone === undefined || !address) return;
    const dataset = zoneDataset(zone);
    const info = this.store.dataset(dataset);
    if (info && info.role !== 'owner') return;
    if (!info) await this.store.createDataset(dataset);
    await this.writeIfMissing(dataset, apexMutations(zone, address.host));
  }

  /** As a parent: NS + glue for a child's zone, if it sits directly under ours. */
  async delegate(childZone: string, childDnsAddress: string): Promise<void> {
    const zone = this.ownZone();
    const parsed = parseHostPort(childDnsAddress);
    if (zone === undefined || !childZone || typeof parsed === 'string') return;
    const child = canonical(childZone);
    if (child === zone || !isInZone(child, zone)) return;
    const dataset = zoneDataset(zone);
    if (this.store.dataset(dataset)?.role !== 'owner') return;
    await this.writeIfMissing(dataset, delegationMutations(child, parsed.host));
  }

  dnsHostPort(): HostPort | undefined {
    const text = this.options.dnsAddress();
    const parsed = text ? parseHostPort(text) : undefined;
    return parsed && typeof parsed !== 'string' ? parsed : undefined;
  }

  private async writeIfMissing(dataset: string, mutations: Array<{ op: 'put' | 'delete'; key: string; value?: unknown }>): Promise<void> {
    const missing = mutations.filter((m) => JSON.stringify(this.store.get(dataset, m.key)) !== JSON.stringify(m.value));
    if (missing.length > 0) await this.store.write(dataset, missing);
  }
}
