// What naming offers the rest of Strata (federation imports this file and
// ports.ts, nothing else of naming): names, the datasets naming keeps, the
// admin operations, the node's own zone, and the resolver's answer types.

export { absolute, canonical, isInZone } from './zones/names';
export { rdataText, typeNumber, type Rr, type RrTypeName } from './zones/records';
export type { Answer } from './forwarding/resolver';
export { servicesDataset, SERVICES_DATASET_PREFIX } from './services/services';
export { zoneDataset, ZONE_DATASET_PREFIX } from './zones/zones';
export { ZoneKeeper, type ZoneKeeperOptions } from './zones/own-zone';
export * from './admin';
export type * from './ports';
