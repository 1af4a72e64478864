// What naming offers the rest of Strata (federation imports this file and
// ports.ts, nothing else of naming): names, the datasets naming keeps, the
// admin operations, the node's own zone, and the resolver's answer types.

export { absolute, canonical, isInZone } from './names';
export { rdataText, typeNumber, type Rr, type RrTypeName } from './records';
export type { Answer } from './resolver';
export { servicesDataset, SERVICES_DATASET_PREFIX } from './services';
export { zoneDataset, ZONE_DATASET_PREFIX } from './zones';
export { ZoneKeeper, type ZoneKeeperOptions } from './own-zone';
export * from './admin';
export type * from './ports';
