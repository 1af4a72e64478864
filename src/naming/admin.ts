// What the admin API asks of naming (as directory/data/admin.ts for the
// directory): records checked and turned into a zone's mutations where they
// were typed — so a bad record is refused with its reason at the node that
// received it — zone listings, and service registrations checked and turned
// into a registry's mutations. Routing the mutations to their owner is the
// caller's business (federation's write router).

import { isIP } from 'node:net';
import { InvalidArgumentError, NotFoundError } from '../kernel/errors';
import type { Mutation, Store } from '../store';
import { absolute } from './zones/names';
import { rdataText, rrsetPrefix, type RrTypeName, type StoredRecord } from './zones/records';
import { allInstances, instanceKey, maintenanceKey, passKey, servicesDataset, SERVICE_NAME, SERVICES_DATASET_PREFIX, type CheckKind, type Instance } from './services/services';
import { ownerName, toRecord } from './zones/zone-admin';
import { parseZoneFile } from './zones/zone-file';
import { zoneDataset } from './zones/zones';

// ---- records

export interface RecordSpec {
  name: string;
  type: string;
  data: string;
  ttl?: number;
}

/** The request's record, or why it is not one. */
export function recordSpec(request: { name: string; type: string; data: string; ttl?: number }): RecordSpec {
  if (!request.name) throw new InvalidArgumentError('a record needs a name ("@" for the zone apex)');
  if (!request.type) throw new InvalidArgumentError('a record needs a type (A, AAAA, CNAME, TXT, SRV, MX, PTR, NS)');
  return request;
}

export function addRecordMutations(zone: string, spec: RecordSpec): Mutation[] {
  const record = toRecord(zone, recordSpec(spec));
  return [{ op: 'put', key: record.key, value: record.value }];
}

/** One record (data given), or every record of NAME TYPE (or of NAME) as this node holds the zone. */
export function removeRecordMutations(store: Store, zone: string, request: { name: string; type: string; data: string }): Mutation[] {
  if (request.data) return [{ op: 'delete', key: toRecord(zone, recordSpec(request)).key }];
  const name = ownerName(zone, request.name);
  const dataset = zoneDataset(zone);
  if (!store.dataset(dataset)) throw new InvalidArgumentError(`give the record data to remove: zone ${absolute(zone)} is not held at this node`);
  const type = request.type ? (request.type.toUpperCase() as RrTypeName) : undefined;
  const keys = store.entries(dataset, { prefix: rrsetPrefix(name, type) }).map((e) => e.key);
  if (keys.length === 0) throw new NotFoundError(`no ${request.type.toUpperCase() || ''} record at ${absolute(name)}`.replace('  ', ' '));
  return keys.map((key) => ({ op: 'delete', key }));
}

export function importZoneMutations(zone: string, text: string, source: string): Mutation[] {
  const parsed = parseZoneFile(text, zone, source || 'zone file');
  if (parsed.records.length === 0) throw new InvalidArgumentError('the zone file holds no records (the SOA is made by the owning node)');
  return parsed.records.map((r) => ({ op: 'put' as const, key: r.key, value: r.value }));
}

/** The zone's records as this node holds them. */
export function listZone(store: Store, zone: string): { zone: string; owner: string; records: Array<{ name: string; type: string; ttl: number; data: string }> } {
  const dataset = zoneDataset(zone);
  const info = store.dataset(dataset);
  if (!info) throw new NotFoundError(`zone ${absolute(zone)} is not held at this node; ask a node that holds it (its owner, an ancestor, or the core)`);
  const records = store.entries(dataset).map((e) => {
    const [name, type] = e.key.split('|') as [string, RrTypeName];
    const stored = e.value as StoredRecord;
    return { name: absolute(name), type, ttl: stored.ttl, data: rdataText(type, stored.data) };
  });
  return { zone: absolute(zone), owner: info.owner, records };
}

// ---- service registry

const DEFAULT_INTERVAL_MS = 5000;
const DEFAULT_TIMEOUT_MS = 2000;

export interface RegisterFields {
  node: string;
  service: string;
  address: string;
  port: number;
  check: string;
  httpPath: string;
  intervalMs: number;
  timeoutMs: number;
  ttlMs: number;
}

export interface InstanceRef {
  service: string;
  /** "" for the node's own registry (resolved by the caller). */
  node: string;
  /** ADDRESS:PORT, or "" for every instance of the service. */
  instance: string;
}

function checkServiceName(service: string): void {
  if (!SERVICE_NAME.test(service)) throw new InvalidArgumentError(`service name ${JSON.stringify(service)} is not valid: lowercase letters, digits and -, starting with a letter`);
}

/** A registration checked and made into the mutation that stores it at `r.node`'s registry. */
export function registerMutations(r: RegisterFields, nowMs: number): Mutation[] {
  checkServiceName(r.service);
  if (!isIP(r.address)) throw new InvalidArgumentError(`address ${JSON.stringify(r.address)} is not an IPv4 or IPv6 address`);
  if (!Number.isInteger(r.port) || r.port < 1 || r.port > 65535) throw new InvalidArgumentError(`port ${r.port} is out of range 1-65535`);
  const kind = (r.check || 'tcp') as CheckKind;
  if (!['tcp', 'http', 'ttl'].includes(kind)) throw new InvalidArgumentError(`check ${JSON.stringify(r.check)} is not one of tcp, http, ttl`);
  const intervalMs = r.intervalMs || DEFAULT_INTERVAL_MS;
  const timeoutMs = r.timeoutMs || Math.min(DEFAULT_TIMEOUT_MS, intervalMs);
  if (intervalMs < 100 || timeoutMs < 10 || timeoutMs > intervalMs) throw new InvalidArgumentError('check interval must be ≥ 100 ms and the timeout between 10 ms and the interval');
  if (kind === 'http' && r.httpPath && !r.httpPath.startsWith('/')) throw new InvalidArgumentError('the HTTP check path must start with /');
  const instance: Instance = {
    service: r.service,
    node: r.node,
    id: r.address.includes(':') ? `[${r.address}]:${r.port}` : `${r.address}:${r.port}`,
    address: r.address,
    port: r.port,
    check: { kind, intervalMs, timeoutMs, ...(kind === 'http' ? { path: r.httpPath || '/' } : {}), ...(kind === 'ttl' ? { ttlMs: r.ttlMs || intervalMs * 3 } : {}) },
    maintenance: false,
    healthy: false,
    lastPassMs: kind === 'ttl' ? nowMs : 0,
  };
  return [{ op: 'put', key: instanceKey(instance.service, instance.id), value: instance }];
}

/** Keys of the instances a ref names: one (address:port given) or all of the service at the node (needs the registry held here). */
export function instanceKeys(store: Store, here: string, ref: InstanceRef): string[] {
  checkServiceName(ref.service);
  if (ref.instance) return [instanceKey(ref.service, ref.instance)];
  const dataset = servicesDataset(ref.node);
  if (!store.dataset(dataset)) throw new InvalidArgumentError(`give --instance ADDRESS:PORT: the registry of ${ref.node} is not held at ${here}`);
  const keys = allInstances(store, dataset).filter((i) => i.service === ref.service).map((i) => instanceKey(i.service, i.id));
  if (keys.length === 0) throw new NotFoundError(`no instance of ${ref.service} is registered at ${ref.node}`);
  return keys;
}

export function deregisterMutations(keys: readonly string[]): Mutation[] {
  return keys.flatMap((key) => [{ op: 'delete' as const, key }, { op: 'delete' as const, key: maintenanceKey(key) }, { op: 'delete' as const, key: passKey(key) }]);
}

/** One instance, or the whole service at the node (a service-level key the owner's readers honour). */
export function serviceOrInstanceKeys(store: Store, here: string, ref: InstanceRef): string[] {
  if (ref.instance) return instanceKeys(store, here, ref);
  checkServiceName(ref.service);
  return [ref.service];
}

export function maintenanceMutations(keys: readonly string[], enable: boolean): Mutation[] {
  return keys.map((key) => (enable ? { op: 'put' as const, key: maintenanceKey(key), value: true } : { op: 'delete' as const, key: maintenanceKey(key) }));
}

export function passMutations(keys: readonly string[], nowMs: number): Mutation[] {
  return keys.map((key) => ({ op: 'put' as const, key: passKey(key), value: nowMs }));
}

/** Every instance registered anywhere this node holds a registry of, optionally of one service. */
export function listInstances(store: Store, service: string): Instance[] {
  return store
    .datasets()
    .filter((d) => d.name.startsWith(SERVICES_DATASET_PREFIX))
    .flatMap((d) => allInstances(store, d.name))
    .filter((i) => !service || i.service === service);
}
