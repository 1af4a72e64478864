// strata.v1.RecordService: records in a zone, at any node. naming/admin.ts
// checks a record where it was typed (so a bad one is refused with its
// reason here); the mutations are routed to the zone's owner; lists read the
// local replica.

import { NotFoundError } from '../../kernel/errors';
import { absolute, addRecordMutations, canonical, importZoneMutations, listZone, removeRecordMutations, zoneDataset } from '../../naming';
import type { Mutation, Store } from '../../store';
import type { RecordServiceHandlers } from '../grpc/generated/strata/v1/RecordService';
import { reply, strataProto, type GrpcServer } from '../grpc/grpc-adapter';
import type { WriteRouter } from '../writes/write-router';
import { refuseDefaultInOwnerRun } from '../grpc/write-context';

export interface RecordsDeps {
  store(): Store;
  router(): WriteRouter;
  ownZone(): string | undefined;
  writeTimeoutMs: number;
}

export function addRecordService(server: GrpcServer, deps: RecordsDeps): void {
  const zoneOf = (requested: string): string => {
    if (!requested) refuseDefaultInOwnerRun('zone');
    const zone = requested ? canonical(requested) : deps.ownZone();
    if (zone === undefined) throw new NotFoundError('this node does not know its zone yet (it learns it from its primary parent); give the zone explicitly');
    return zone;
  };
  const apply = async (zone: string, mutations: Mutation[]) => {
    const outcome = await deps.router().writeVisible(zoneDataset(zone), mutations, deps.writeTimeoutMs, zone.split('.')[0]);
    return { zone: absolute(zone), owner: outcome.owner, seq: outcome.seq, records: mutations.length };
  };
  const handlers: RecordServiceHandlers = {
    AddRecord: (call, callback) =>
      reply(callback, () => {
        const zone = zoneOf(call.request.zone);
        const r = call.request;
        return apply(zone, addRecordMutations(zone, { name: r.name, type: r.type, data: r.data, ttl: r.hasTtl ? r.ttl : undefined }));
      }),
    RemoveRecord: (call, callback) =>
      reply(callback, () => {
        const zone = zoneOf(call.request.zone);
        return apply(zone, removeRecordMutations(deps.store(), zone, call.request));
      }),
    ImportZone: (call, callback) =>
      reply(callback, () => {
        const zone = zoneOf(call.request.zone);
        return apply(zone, importZoneMutations(zone, call.request.text, call.request.source));
      }),
    ListRecords: (call, callback) => reply(callback, () => listZone(deps.store(), zoneOf(call.request.zone))),
  };
  server.addService(strataProto().RecordService.service, handlers);
}
