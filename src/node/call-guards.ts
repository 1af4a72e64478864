// Who may call what through the gRPC API (DESIGN §7), checked before any
// handler runs, and which calls are timed as writes (write-stages.ts).

import type { Clock } from '../kernel/clock';
import { OPERATOR_METHODS, refuseRevoked, requireMember, requireNode, requireOperator } from '../federation/enrolment/caller-identity';
import type { GrpcServer, TlsIdentity } from '../federation/grpc/grpc-adapter';
import type { PkiView } from '../federation/enrolment/pki';
import type { TimedStage } from '../federation/writes/write-stages';

export function guardCalls(grpc: GrpcServer, identity: () => TlsIdentity | undefined, pki: () => PkiView, clock: Clock, timedWrite: TimedStage): void {
  grpc.timeCalls(OPERATOR_METHODS, timedWrite, clock);
  const now = (): number => clock.nowMs();
  // Enrolment checks certificates itself (a renewal whose answer was lost comes with the certificate it replaced).
  grpc.guardEveryCall((call) => refuseRevoked(call, identity(), now(), pki()), ['GetCaCertificate', 'Join', 'Renew']);
  grpc.guard(OPERATOR_METHODS, (call) => requireOperator(call, identity(), now(), 'changing data through the gRPC API'));
  grpc.guard(['CheckPassword', 'GetEntry'], (call) => requireNode(call, identity(), now(), 'this method'));
  grpc.guard(['ListEntries'], (call) => {
    if ((call.request as { includeSecrets?: boolean }).includeSecrets) requireOperator(call, identity(), now(), 'listing password hashes');
    else requireMember(call, identity(), now(), 'listing directory entries');
  });
}
