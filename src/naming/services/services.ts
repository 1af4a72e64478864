// Service instances as a dataset per node (`services:<node>`, owned by the
// node that registered them and runs their health checks) and the choice of
// the nearest healthy instances as seen from this node: its own first, then
// those deeper in its subtree, in a stable order. Reads only.

import type { Store } from '../../store';
import { isInZone } from '../zones/names';
import type { NamingPorts } from '../ports';

export const SERVICES_DATASET_PREFIX = 'services:';
export const SERVICE_TTL_S = 5;
export const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

export type CheckKind = 'tcp' | 'http' | 'ttl';

export interface HealthCheck {
  kind: CheckKind;
  /** For http: the path to GET. */
  path?: string;
  intervalMs: number;
  timeoutMs: number;
  /** For ttl: how long a pass keeps the instance healthy. */
  ttlMs?: number;
}

export interface Instance {
  service: string;
  node: string;
  id: string;
  address: string;
  port: number;
  check: HealthCheck;
  maintenance: boolean;
  healthy: boolean;
  /** Owner's clock at the last passed check (or ttl pass). */
  lastPassMs: number;
  /** Why the last check failed, if it did. */
  lastError?: string;
}

export function servicesDataset(node: string): string {
  return `${SERVICES_DATASET_PREFIX}${node}`;
}

export function instanceKey(service: string, id: string): string {
  return `${service}/${id}`;
}

/**
 * Maintenance and TTL passes live under their own keys, so operators and the
 * health checker never overwrite each other. The key of a whole service
 * ("maint:api") covers every instance of it at the node.
 */
export function maintenanceKey(key: string): string {
  return `maint:${key}`;
}

export function passKey(key: string): string {
  return `pass:${key}`;
}

/** Every instance of `service` this node holds (any node's dataset), with its maintenance flag. */
export function instancesOf(store: Store, service: string): Instance[] {
  const out: Instance[] = [];
  for (const info of store.datasets()) {
    if (!info.name.startsWith(SERVICES_DATASET_PREFIX)) continue;
    const wholeService = store.get(info.name, maintenanceKey(service)) === true;
    for (const e of store.entries(info.name, { prefix: `${service}/` })) {
      out.push({ ...(e.value as Instance), maintenance: wholeService || store.get(info.name, maintenanceKey(e.key)) === true });
    }
  }
  return out;
}

/** Does this node hold any registered instance (of any service, any node's registry)? */
export function anyInstance(store: Store): boolean {
  return store.datasets().some((info) => info.name.startsWith(SERVICES_DATASET_PREFIX) && allInstances(store, info.name).length > 0);
}

/** Every instance in one node's registry (for listing). */
export function allInstances(store: Store, dataset: string): Instance[] {
  return store
    .entries(dataset)
    .filter((e) => !e.key.startsWith('maint:') && !e.key.startsWith('pass:'))
    .map((e) => {
      const instance = e.value as Instance;
      const maintenance = store.get(dataset, maintenanceKey(e.key)) === true || store.get(dataset, maintenanceKey(instance.service)) === true;
      return { ...instance, maintenance };
    });
}

export function serving(instance: Instance): boolean {
  return instance.healthy && !instance.maintenance;
}

/** Healthy instances in this node's subtree, nearest first (depth, node, address). */
export function nearestHealthy(store: Store, ports: NamingPorts, service: string): Instance[] {
  const scored = instancesOf(store, service)
    .filter(serving)
    .map((i) => ({ i, depth: ports.depthBelow(i.node) }))
    .filter((x): x is { i: Instance; depth: number } => x.depth !== undefined);
  if (scored.length === 0) return [];
  const best = Math.min(...scored.map((x) => x.depth));
  return scored
    .filter((x) => x.depth === best)
    .sort((a, b) => a.i.node.localeCompare(b.i.node) || a.i.address.localeCompare(b.i.address) || a.i.port - b.i.port)
    .map((x) => x.i);
}

export type ServiceQuery =
  /** <svc>.svc.<domain>: nearest healthy. */
  | { kind: 'nearest'; service: string }
  /** _<svc>._tcp.svc.<domain>: SRV for the nearest healthy. */
  | { kind: 'srv'; service: string }
  /** <svc>.svc.<zone>: the instances registered at the node owning <zone>. */
  | { kind: 'site'; service: string; zone: string }
  /**
   * The empty non-terminals above service names (RFC 8020: they exist, so
   * NODATA, never NXDOMAIN): svc.<domain> and _tcp.svc.<domain> (zone
   * undefined), and svc.<zone> for a node's zone.
   */
  | { kind: 'empty'; zone?: string };

/** Recognise a service name under the federation domain (canonical names). */
export function parseServiceName(name: string, domain: string): ServiceQuery | undefined {
  if (!isInZone(name, domain) || name === domain) return undefined;
  const rest = name.slice(0, -(domain.length + 1)).split('.');
  if (rest.length === 2 && rest[1] === 'svc' && SERVICE_NAME.test(rest[0]!)) return { kind: 'nearest', service: rest[0]! };
  if (rest.length === 3 && rest[2] === 'svc' && rest[1] === '_tcp' && rest[0]!.startsWith('_')) {
    const service = rest[0]!.slice(1);
    return SERVICE_NAME.test(service) ? { kind: 'srv', service } : undefined;
  }
  if (rest.length >= 3 && rest[1] === 'svc' && SERVICE_NAME.test(rest[0]!)) {
    return { kind: 'site', service: rest[0]!, zone: `${rest.slice(2).join('.')}.${domain}` };
  }
  if ((rest.length === 1 && rest[0] === 'svc') || (rest.length === 2 && rest[0] === '_tcp' && rest[1] === 'svc')) return { kind: 'empty' };
  if (rest.length >= 2 && rest[0] === 'svc') return { kind: 'empty', zone: `${rest.slice(1).join('.')}.${domain}` };
  return undefined;
}
