// The zones a node holds (owned or replicated), read from their datasets:
// which held zone is closest to a name, RRsets, whether a name exists, zone
// cuts (delegations to zones not held here), and the synthesized SOA. Reads
// only; writes go through the owner (see ports.ts).

import type { Store } from '../../store';
import { absolute, ancestorsOf, canonical, isInZone } from './names';
import { parseRecordKey, rrsetPrefix, type Rr, type RrTypeName, type StoredRecord } from './records';

export const ZONE_DATASET_PREFIX = 'zone:';
export const NEGATIVE_TTL_S = 30;

export function zoneDataset(zone: string): string {
  return `${ZONE_DATASET_PREFIX}${absolute(zone)}`;
}

export function zoneOfDataset(dataset: string): string | undefined {
  return dataset.startsWith(ZONE_DATASET_PREFIX) ? canonical(dataset.slice(ZONE_DATASET_PREFIX.length)) : undefined;
}

export class Zones {
  private held: string[] | undefined;

  constructor(private readonly store: Store) {
    store.onChange((names) => {
      if (names.some((n) => n.startsWith(ZONE_DATASET_PREFIX))) this.held = undefined;
    });
  }

  /** Held zones, deepest first. */
  zones(): string[] {
    this.held ??= this.store
      .datasets()
      .map((d) => zoneOfDataset(d.name))
      .filter((z): z is string => z !== undefined)
      .sort((a, b) => b.split('.').length - a.split('.').length || a.localeCompare(b));
    return this.held;
  }

  /** The deepest held zone containing `name`. */
  zoneFor(name: string): string | undefined {
    return this.zones().find((zone) => isInZone(name, zone));
  }

  owner(zone: string): string | undefined {
    return this.store.dataset(zoneDataset(zone))?.owner;
  }

  rrset(zone: string, name: string, type: RrTypeName): Rr[] {
    if (type === 'SOA') return name === zone ? [this.soa(zone)] : [];
    return this.store.entries(zoneDataset(zone), { prefix: rrsetPrefix(name, type) }).map((e) => {
      const stored = e.value as StoredRecord;
      return { name, type, ttl: stored.ttl, data: stored.data };
    });
  }

  /** Every record at `name` (all types). */
  recordsAt(zone: string, name: string): Rr[] {
    const records = this.store.entries(zoneDataset(zone), { prefix: rrsetPrefix(name) }).map((e) => {
      const stored = e.value as StoredRecord;
      return { name, type: parseRecordKey(e.key).type, ttl: stored.ttl, data: stored.data };
    });
    return name === zone ? [this.soa(zone), ...records] : records;
  }

  /** Does `name` own records, or is it an empty non-terminal (has names below it)? */
  exists(zone: string, name: string): boolean {
    if (name === zone) return true;
    const dataset = zoneDataset(zone);
    if (this.store.entries(dataset, { prefix: rrsetPrefix(name), limit: 1 }).length > 0) return true;
    return this.store.entries(dataset, { prefix: `` }).some((e) => parseRecordKey(e.key).name.endsWith(`.${name}`));
  }

  /** The closest zone cut (NS below the apex) at or above `name`, if any. */
  cut(zone: string, name: string): { at: string; ns: Rr[] } | undefined {
    const chain = ancestorsOf(name).filter((n) => n !== zone && isInZone(n, zone)).reverse();
    for (const at of chain) {
      const ns = this.rrset(zone, at, 'NS');
      if (ns.length > 0) return { at, ns };
    }
    return undefined;
  }

  /** Glue (A/AAAA) for name servers, from any held zone. */
  glue(names: string[]): Rr[] {
    const out: Rr[] = [];
    for (const name of names) {
      const zone = this.zoneFor(name);
      if (!zone) continue;
      out.push(...this.rrset(zone, name, 'A'), ...this.rrset(zone, name, 'AAAA'));
    }
    return out;
  }

  soa(zone: string): Rr {
    const info = this.store.dataset(zoneDataset(zone));
    return {
      name: zone,
      type: 'SOA',
      ttl: NEGATIVE_TTL_S,
      data: { primary: `ns.${zone}`, admin: `hostmaster.${zone}`, serial: (info?.seq ?? 0) % 4294967296, refresh: 3600, retry: 600, expiration: 86400, minimum: NEGATIVE_TTL_S },
    };
  }

  /** All records of a zone, for AXFR and `record ls`. */
  all(zone: string): Rr[] {
    return this.store.entries(zoneDataset(zone)).map((e) => {
      const { name, type } = parseRecordKey(e.key);
      const stored = e.value as StoredRecord;
      return { name, type, ttl: stored.ttl, data: stored.data };
    });
  }
}
