// Who is calling the gRPC API, by the client certificate it presented (DESIGN
// §7): a node (CN = its name, OU = its tier) or an operator (CN
// `operator:<name>`, a name no node can have). Writes through the admin API
// need an operator; chained password checks need a node. In plaintext mode
// nothing is checked (there is no identity to check).

import { isoTime } from '../../kernel/clock';
import { PermissionDeniedError } from '../../kernel/errors';
import type { PkiView } from './pki';
import { VerifiedCertificates } from '../../kernel/x509';
import { peerCertificate, type GuardedCall, type TlsIdentity } from '../grpc/grpc-adapter';

export const OPERATOR_PREFIX = 'operator:';

/** Admin methods that change data: operators only. */
export const OPERATOR_METHODS = [
  'SetSetting', 'SetSettings', 'DeleteSetting',
  'AddRecord', 'RemoveRecord', 'ImportZone',
  'RegisterInstance', 'DeregisterInstance', 'SetMaintenance', 'PassCheck',
  'PutEntries', 'DeleteEntry',
  'Revoke',
] as const;

export interface Caller {
  name: string;
  /** A node's tier (from its certificate); undefined for an operator. */
  tier: string | undefined;
  operator: boolean;
}

/** The verified caller, or undefined when it presented no certificate from the federation CA. */
export function callerOf(call: GuardedCall, tls: TlsIdentity, nowMs: number): (Caller & { serial: string }) | undefined {
  const cert = peerCertificate(call);
  const subject = cert && verified.verify(cert, tls.caPem, nowMs)?.subject;
  if (!subject) return undefined;
  const operator = subject.commonName.startsWith(OPERATOR_PREFIX);
  return { name: subject.commonName, tier: operator ? undefined : subject.unit, operator, serial: subject.serial };
}

/** Callers present the same certificate on every call: verified once (per process; it holds only what the CA signed). */
const verified = new VerifiedCertificates();

/** Refuses a call made with a revoked certificate (DESIGN §7: revocation is checked on every call). */
export function refuseRevoked(call: GuardedCall, tls: TlsIdentity | undefined, nowMs: number, pki: PkiView): void {
  if (!tls) return;
  const caller = callerOf(call, tls, nowMs);
  const revoked = caller && pki.revoked(caller.serial);
  if (revoked) throw new PermissionDeniedError(`the certificate of ${caller.name} (serial ${caller.serial}) was revoked at ${isoTime(revoked.revokedAtMs)}: ${revoked.reason}`);
}

/** Reads of people and groups need a node or operator certificate (anonymous LDAP cannot read them either). */
export function requireMember(call: GuardedCall, tls: TlsIdentity | undefined, nowMs: number, action: string): void {
  if (!tls || callerOf(call, tls, nowMs)) return;
  throw new PermissionDeniedError(`${action} needs a node or operator certificate from the federation CA (give --cert and --key)`);
}

export function requireOperator(call: GuardedCall, tls: TlsIdentity | undefined, nowMs: number, action: string): void {
  if (!tls) return;
  const caller = callerOf(call, tls, nowMs);
  if (caller?.operator) return;
  throw new PermissionDeniedError(`${action} needs an operator certificate from the federation CA${caller ? ` (this caller is node ${caller.name})` : ''}: give --cert and --key (strata up writes <data-dir>/operator.crt and .key; \`strata operator-cert NAME\` on the core makes one)`);
}

export function requireNode(call: GuardedCall, tls: TlsIdentity | undefined, nowMs: number, action: string): void {
  if (!tls) return;
  const caller = callerOf(call, tls, nowMs);
  if (caller && !caller.operator) return;
  throw new PermissionDeniedError(`${action} is for nodes of this federation only (present a node certificate)`);
}
