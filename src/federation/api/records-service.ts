// strata.v1.RecordService: records in a zone, at any node. Writes are
// validated here (so a bad record is refused where it was typed, with the
// reason), then routed to the zone's owner; lists read the local replica.

import { InvalidArgumentError, NotFoundError } from '../../kernel/errors';
import { absolute, canonical } from '../../naming/names';
import { rdataText, rrsetPrefix, type StoredRecord } from '../../naming/records';
import { ownerName, toRecord } from '../../naming/zone-admin';
import { parseZoneFile } from '../../naming/zone-file';
import { zoneDataset } from '../../naming/zones';
import type { Mutation, Store } from '../../store';
import type { RecordServiceHandlers } from '../grpc/generated/strata/v1/RecordService';
import type { RecordRequest__Output } from '../grpc/generated/strata/v1/RecordRequest';
import { reply, strataProto, type GrpcServer } from '../grpc/grpc-adapter';
import type { WriteRouter } from '../writes/write-router';
import { refuseDefaultInOwnerRun } from '../writes/write-context';

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
    const dataset = zoneDataset(zone);
    const outcome = await deps.router().writeVisible(dataset, mutations, deps.writeTimeoutMs, zone.split('.')[0]);
    return { zone: absolute(zone), owner: outcome.owner, seq: outcome.seq, records: mutations.length };
  };
  const removals = (zone: string, request: RecordRequest__Output): Mutation[] => {
    if (request.data) return [{ op: 'delete', key: toRecord(zone, spec(request)).key }];
    const name = ownerName(zone, request.name);
    const dataset = zoneDataset(zone);
    if (!deps.store().dataset(dataset)) throw new InvalidArgumentError(`give the record data to remove: zone ${absolute(zone)} is not held at this node`);
    const keys = deps.store().entries(dataset, { prefix: rrsetPrefix(name, request.type ? (request.type.toUpperCase() as never) : undefined) }).map((e) => e.key);
    if (keys.length === 0) throw new NotFoundError(`no ${request.type.toUpperCase() || ''} record at ${absolute(name)}`.replace('  ', ' '));
    return keys.map((key) => ({ op: 'delete', key }));
  };
  const handlers: RecordServiceHandlers = {
    AddRecord: (call, callback) =>
      reply(callback, () => {
        const zone = zoneOf(call.request.zone);
        const record = toRecord(zone, spec(call.request));
        return apply(zone, [{ op: 'put', key: record.key, value: record.value }]);
      }),
    RemoveRecord: (call, callback) =>
      reply(callback, () => {
        const zone = zoneOf(call.request.zone);
        return apply(zone, removals(zone, call.request));
      }),
    ImportZone: (call, callback) =>
      reply(callback, () => {
        const zone = zoneOf(call.request.zone);
        const parsed = parseZoneFile(call.request.text, zone, call.request.source || 'zone file');
        if (parsed.records.length === 0) throw new InvalidArgumentError('the zone file holds no records (the SOA is made by the owning node)');
        return apply(zone, parsed.records.map((r) => ({ op: 'put' as const, key: r.key, value: r.value })));
      }),
    ListRecords: (call, callback) =>
      reply(callback, () => {
        const zone = zoneOf(call.request.zone);
        const dataset = zoneDataset(zone);
        const info = deps.store().dataset(dataset);
        if (!info) throw new NotFoundError(`zone ${absolute(zone)} is not held at this node; ask a node that holds it (its owner, an ancestor, or the core)`);
        const records = deps.store().entries(dataset).map((e) => {
          const [name, type] = e.key.split('|') as [string, never];
          const stored = e.value as StoredRecord;
          return { name: absolute(name), type, ttl: stored.ttl, data: rdataText(type, stored.data) };
        });
        return { zone: absolute(zone), owner: info.owner, records };
      }),
  };
  server.addService(strataProto().RecordService.service, handlers);
}

function spec(request: RecordRequest__Output): { name: string; type: string; data: string; ttl?: number } {
  if (!request.name) throw new InvalidArgumentError('a record needs a name ("@" for the zone apex)');
  if (!request.type) throw new InvalidArgumentError('a record needs a type (A, AAAA, CNAME, TXT, SRV, MX, PTR, NS)');
  return { name: request.name, type: request.type, data: request.data, ttl: request.hasTtl ? request.ttl : undefined };
}
