// strata.v1.ServiceRegistry: service instances registered at a node, from
// any node. Registrations, maintenance and TTL passes are validated here and
// routed to the node that owns the registry (it runs the health checks);
// lists read the local replicas.

import { isIP } from 'node:net';
import type { Clock } from '../../kernel/clock';
import { InvalidArgumentError, NotFoundError } from '../../kernel/errors';
import {
  allInstances, instanceKey, maintenanceKey, passKey, servicesDataset, SERVICE_NAME, SERVICES_DATASET_PREFIX,
  type CheckKind, type Instance,
} from '../../naming/services';
import type { Mutation, Store } from '../../store';
import type { InstanceRef__Output } from '../grpc/generated/strata/v1/InstanceRef';
import type { ServiceRegistryHandlers } from '../grpc/generated/strata/v1/ServiceRegistry';
import { reply, strataProto, type GrpcServer } from '../grpc/grpc-adapter';
import type { WriteRouter } from '../writes/write-router';
import { refuseDefaultInOwnerRun } from '../writes/write-context';

export interface RegistryDeps {
  store(): Store;
  router(): WriteRouter;
  nodeName: string;
  writeTimeoutMs: number;
  clock: Clock;
}

const DEFAULT_INTERVAL_MS = 5000;
const DEFAULT_TIMEOUT_MS = 2000;

export function addRegistryService(server: GrpcServer, deps: RegistryDeps): void {
  const nodeOf = (given: string): string => {
    if (!given) refuseDefaultInOwnerRun('node');
    return given || deps.nodeName;
  };
  const write = async (node: string, mutations: Mutation[]) => {
    const dataset = servicesDataset(node);
    const outcome = await deps.router().writeVisible(dataset, mutations, deps.writeTimeoutMs, node);
    return { owner: outcome.owner, seq: outcome.seq, instances: mutations.length };
  };
  /** Keys of the instances a ref names: one (address:port given) or all of the service at the node (needs the registry here). */
  const keysOf = (ref: InstanceRef__Output | null): { node: string; keys: string[] } => {
    if (!ref) throw new InvalidArgumentError('name the instance: service, node and (optionally) address:port');
    const node = nodeOf(ref.node);
    if (!SERVICE_NAME.test(ref.service)) throw new InvalidArgumentError(`service name ${JSON.stringify(ref.service)} is not valid: lowercase letters, digits and -`);
    if (ref.instance) return { node, keys: [instanceKey(ref.service, ref.instance)] };
    const dataset = servicesDataset(node);
    if (!deps.store().dataset(dataset)) throw new InvalidArgumentError(`give --instance ADDRESS:PORT: the registry of ${node} is not held at ${deps.nodeName}`);
    const keys = allInstances(deps.store(), dataset).filter((i) => i.service === ref.service).map((i) => instanceKey(i.service, i.id));
    if (keys.length === 0) throw new NotFoundError(`no instance of ${ref.service} is registered at ${node}`);
    return { node, keys };
  };
  /** One instance, or the whole service at the node (a service-level key the owner's readers honour). */
  const serviceOrInstance = (ref: InstanceRef__Output | null): { node: string; keys: string[] } => {
    if (!ref) throw new InvalidArgumentError('name the service (and node)');
    if (ref.instance) return keysOf(ref);
    if (!SERVICE_NAME.test(ref.service)) throw new InvalidArgumentError(`service name ${JSON.stringify(ref.service)} is not valid: lowercase letters, digits and -`);
    return { node: nodeOf(ref.node), keys: [ref.service] };
  };
  const handlers: ServiceRegistryHandlers = {
    RegisterInstance: (call, callback) =>
      reply(callback, () => {
        const r = call.request;
        const node = nodeOf(r.node);
        const instance = validate({ ...r, node }, deps.clock.nowMs());
        return write(node, [{ op: 'put', key: instanceKey(instance.service, instance.id), value: instance }]);
      }),
    DeregisterInstance: (call, callback) =>
      reply(callback, () => {
        const { node, keys } = keysOf(call.request);
        return write(node, keys.flatMap((key) => [{ op: 'delete' as const, key }, { op: 'delete' as const, key: maintenanceKey(key) }, { op: 'delete' as const, key: passKey(key) }]));
      }),
    SetMaintenance: (call, callback) =>
      reply(callback, () => {
        const { node, keys } = serviceOrInstance(call.request.ref);
        return write(node, keys.map((key) => (call.request.enable ? { op: 'put' as const, key: maintenanceKey(key), value: true } : { op: 'delete' as const, key: maintenanceKey(key) })));
      }),
    PassCheck: (call, callback) =>
      reply(callback, () => {
        const { node, keys } = serviceOrInstance(call.request);
        return write(node, keys.map((key) => ({ op: 'put' as const, key: passKey(key), value: deps.clock.nowMs() })));
      }),
    ListInstances: (call, callback) =>
      reply(callback, () => {
        const store = deps.store();
        const instances = store
          .datasets()
          .filter((d) => d.name.startsWith(SERVICES_DATASET_PREFIX))
          .flatMap((d) => allInstances(store, d.name))
          .filter((i) => !call.request.service || i.service === call.request.service)
          .map((i) => ({ service: i.service, node: i.node, id: i.id, address: i.address, port: i.port, check: i.check.kind, healthy: i.healthy, maintenance: i.maintenance, lastError: i.lastError ?? '' }));
        return { instances };
      }),
  };
  server.addService(strataProto().ServiceRegistry.service, handlers);
}

interface RegisterFields {
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

function validate(r: RegisterFields, nowMs: number): Instance {
  if (!SERVICE_NAME.test(r.service)) throw new InvalidArgumentError(`service name ${JSON.stringify(r.service)} is not valid: lowercase letters, digits and -, starting with a letter`);
  if (!isIP(r.address)) throw new InvalidArgumentError(`address ${JSON.stringify(r.address)} is not an IPv4 or IPv6 address`);
  if (!Number.isInteger(r.port) || r.port < 1 || r.port > 65535) throw new InvalidArgumentError(`port ${r.port} is out of range 1-65535`);
  const kind = (r.check || 'tcp') as CheckKind;
  if (!['tcp', 'http', 'ttl'].includes(kind)) throw new InvalidArgumentError(`check ${JSON.stringify(r.check)} is not one of tcp, http, ttl`);
  const intervalMs = r.intervalMs || DEFAULT_INTERVAL_MS;
  const timeoutMs = r.timeoutMs || Math.min(DEFAULT_TIMEOUT_MS, intervalMs);
  if (intervalMs < 100 || timeoutMs < 10 || timeoutMs > intervalMs) throw new InvalidArgumentError('check interval must be ≥ 100 ms and the timeout between 10 ms and the interval');
  if (kind === 'http' && r.httpPath && !r.httpPath.startsWith('/')) throw new InvalidArgumentError('the HTTP check path must start with /');
  return {
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
}
