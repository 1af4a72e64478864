// What the CLI (and any program that calls a node) gets from federation:
// the API client, status and health, enrolment, client TLS identities, and
// the wire forms it reads. scripts/check-imports.js lets src/cli import
// federation through this file only.

export { ApiClient, type TopologyView } from './api-client';
export { checkHealth, fetchNodeStatus, type NodeStatusView } from './status-client';
export { enrol } from './enrolment-client';
export { fromWire as directoryEntryFromWire, toWire as directoryEntryToWire } from './directory-wire';
export { ClientTls, type NodeIdentity } from '../grpc/grpc-adapter';
export type { DirectoryEntry__Output } from '../grpc/generated/strata/v1/DirectoryEntry';
export { OPERATOR_PREFIX } from '../enrolment/caller-identity';
