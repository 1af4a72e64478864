// strata.v1.ServiceRegistry: service instances registered at a node, from
// any node. naming/admin.ts checks registrations, maintenance and TTL passes
// here; the mutations are routed to the node that owns the registry (it runs
// the health checks); lists read the local replicas.

import type { Clock } from '../../kernel/clock';
import { InvalidArgumentError } from '../../kernel/errors';
import {
  deregisterMutations, instanceKeys, listInstances, maintenanceMutations, passMutations, registerMutations, serviceOrInstanceKeys, servicesDataset,
  type InstanceRef,
} from '../../naming';
import type { Mutation, Store } from '../../store';
import type { InstanceRef__Output } from '../grpc/generated/strata/v1/InstanceRef';
import type { ServiceRegistryHandlers } from '../grpc/generated/strata/v1/ServiceRegistry';
import { reply, strataProto, type GrpcServer } from '../grpc/grpc-adapter';
import type { WriteRouter } from '../writes/write-router';
import { refuseDefaultInOwnerRun } from '../grpc/write-context';

export interface RegistryDeps {
  store(): Store;
  router(): WriteRouter;
  nodeName: string;
  writeTimeoutMs: number;
  clock: Clock;
}

export function addRegistryService(server: GrpcServer, deps: RegistryDeps): void {
  const nodeOf = (given: string): string => {
    if (!given) refuseDefaultInOwnerRun('node');
    return given || deps.nodeName;
  };
  const write = async (node: string, mutations: Mutation[]) => {
    const outcome = await deps.router().writeVisible(servicesDataset(node), mutations, deps.writeTimeoutMs, node);
    return { owner: outcome.owner, seq: outcome.seq, instances: mutations.length };
  };
  const refOf = (ref: InstanceRef__Output | null, what: string): InstanceRef => {
    if (!ref) throw new InvalidArgumentError(what);
    return { service: ref.service, node: nodeOf(ref.node), instance: ref.instance };
  };
  const handlers: ServiceRegistryHandlers = {
    RegisterInstance: (call, callback) =>
      reply(callback, () => {
        const node = nodeOf(call.request.node);
        return write(node, registerMutations({ ...call.request, node }, deps.clock.nowMs()));
      }),
    DeregisterInstance: (call, callback) =>
      reply(callback, () => {
        const ref = refOf(call.request, 'name the instance: service, node and (optionally) address:port');
        return write(ref.node, deregisterMutations(instanceKeys(deps.store(), deps.nodeName, ref)));
      }),
    SetMaintenance: (call, callback) =>
      reply(callback, () => {
        const ref = refOf(call.request.ref, 'name the service (and node)');
        return write(ref.node, maintenanceMutations(serviceOrInstanceKeys(deps.store(), deps.nodeName, ref), call.request.enable));
      }),
    PassCheck: (call, callback) =>
      reply(callback, () => {
        const ref = refOf(call.request, 'name the service (and node)');
        return write(ref.node, passMutations(serviceOrInstanceKeys(deps.store(), deps.nodeName, ref), deps.clock.nowMs()));
      }),
    ListInstances: (call, callback) =>
      reply(callback, () => ({
        instances: listInstances(deps.store(), call.request.service).map((i) => ({
          service: i.service, node: i.node, id: i.id, address: i.address, port: i.port, check: i.check.kind, healthy: i.healthy, maintenance: i.maintenance, lastError: i.lastError ?? '',
        })),
      })),
  };
  server.addService(strataProto().ServiceRegistry.service, handlers);
}
