// Turning what people ask for ("add A 10.0.0.5 as api in berlin's zone",
// "delegate berlin.eu.edge.example to 127.0.0.1") into validated changes for
// a zone dataset. Pure: the caller routes the mutations to the zone's owner.

import { InvalidArgumentError } from '../../kernel/errors';
import type { Mutation } from '../../store';
import { absolute, canonical, checkName, isInZone } from './names';
import { DEFAULT_TTL_S, MAX_TTL_S, parseRdata, recordKey, type RData, type RrTypeName, type StoredRecord } from './records';

export interface RecordSpec {
  /** Relative to the zone ("api", "@") or absolute ("api.berlin.eu.edge.example."). */
  name: string;
  type: string;
  /** Zone-file text after the type, e.g. "10 mail" for MX. */
  data: string;
  ttl?: number;
}

/** Validate one record for `zone`; throws InvalidArgumentError saying what is wrong. */
export function toRecord(zone: string, spec: RecordSpec, origin = zone): { key: string; value: StoredRecord; name: string; type: RrTypeName } {
  const name = ownerName(zone, spec.name);
  const problem = checkName(name);
  if (problem) throw new InvalidArgumentError(problem);
  if (!isInZone(name, zone)) throw new InvalidArgumentError(`${absolute(name)} is not in zone ${absolute(zone)}`);
  const type = spec.type.toUpperCase();
  const data = parseRdata(type, spec.data, origin);
  if (typeof data === 'string') throw new InvalidArgumentError(`${absolute(name)} ${type}: ${data}`);
  const ttl = spec.ttl ?? DEFAULT_TTL_S;
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > MAX_TTL_S) throw new InvalidArgumentError(`TTL ${spec.ttl} is out of range 0-${MAX_TTL_S}`);
  return { key: recordKey(name, type as RrTypeName, data), value: { ttl, data }, name, type: type as RrTypeName };
}

export function ownerName(zone: string, name: string): string {
  if (name === '@' || name === '') return zone;
  return name.endsWith('.') ? canonical(name) : canonical(zone ? `${name}.${zone}` : name);
}

/** The apex NS of a node's own zone and its glue. */
export function apexMutations(zone: string, dnsIp: string): Mutation[] {
  return delegationMutations(zone, dnsIp);
}

/** NS for `childZone` and an A/AAAA glue record for its name server, as the parent's zone carries them. */
export function delegationMutations(childZone: string, dnsIp: string): Mutation[] {
  const nsName = `ns.${childZone}`;
  const ns: RData = { ns: nsName };
  const glueType: RrTypeName = dnsIp.includes(':') ? 'AAAA' : 'A';
  return [
    { op: 'put', key: recordKey(childZone, 'NS', ns), value: { ttl: DEFAULT_TTL_S, data: ns } satisfies StoredRecord },
    { op: 'put', key: recordKey(nsName, glueType, { address: dnsIp }), value: { ttl: DEFAULT_TTL_S, data: { address: dnsIp } } satisfies StoredRecord },
  ];
}
