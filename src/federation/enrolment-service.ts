// strata.v1.EnrolmentService (DESIGN §7): the CA certificate for anyone, and
// Join — at the core, a one-time token and a certificate request for the
// token's node become a certificate; elsewhere, Join is passed to the parent.

import type { Clock } from '../kernel/clock';
import { PermissionDeniedError, UnavailableError } from '../kernel/errors';
import { csrKeyFingerprint, readCsr, signCsr, type KeyAndCertificate } from '../kernel/x509';
import type { EnrolmentServiceHandlers } from './generated/strata/v1/EnrolmentService';
import type { JoinResponse } from './generated/strata/v1/JoinResponse';
import { reply, strataProto, type GrpcServer } from './grpc-adapter';
import { verifyJoinToken } from './join-token';

export const NODE_CERT_DAYS = 825;
const MAX_JOIN_HOPS = 16;

/** What the core recorded for a used token: the key it was used with and, once signed, the certificate. */
export interface TokenUse {
  keyFingerprint: string;
  certPem?: string;
}

/** The core's side: the CA, the join secret, and the record of used tokens (one-time). */
export interface Authority {
  ca: KeyAndCertificate;
  secret: Buffer;
  /** The use recorded for a token, if any. */
  use(mac: string): TokenUse | undefined;
  /** Record a token's use (first claim wins: false if it was claimed already); checked and made synchronously, then durable. */
  claim(mac: string, use: TokenUse): Promise<boolean>;
  /** Add the certificate issued to a claimed use. */
  issued(mac: string, use: TokenUse): Promise<void>;
}

export interface EnrolmentDeps {
  nodeName: string;
  clock: Clock;
  /** The federation CA certificate this node trusts (undefined in plaintext mode or before enrolment). */
  caPem(): string | undefined;
  /** Only at the core. */
  authority(): Authority | undefined;
  /** Elsewhere: Join passed to the current parent. */
  forward(request: { token: string; csrPem: string; hops: number }): Promise<JoinResponse>;
}

export function addEnrolmentService(server: GrpcServer, deps: EnrolmentDeps): void {
  const handlers: EnrolmentServiceHandlers = {
    GetCaCertificate: (_call, callback) =>
      reply(callback, () => {
        const caPem = deps.caPem();
        if (!caPem) throw new UnavailableError(`node ${deps.nodeName} has no CA certificate (plaintext mode, or not enrolled yet)`);
        return { caPem };
      }),
    Join: (call, callback) =>
      reply(callback, async () => {
        const { token, csrPem, hops } = call.request;
        const authority = deps.authority();
        if (authority) return join(authority, token, csrPem, deps.clock.nowMs());
        if (hops >= MAX_JOIN_HOPS) throw new UnavailableError(`join passed ${MAX_JOIN_HOPS} nodes without reaching the core`);
        return deps.forward({ token, csrPem, hops: hops + 1 });
      }),
  };
  server.addService(strataProto().EnrolmentService.service, handlers);
}

async function join(authority: Authority, token: string, csrPem: string, nowMs: number): Promise<JoinResponse> {
  const claims = verifyJoinToken(authority.secret, token, nowMs);
  let requested: string;
  try {
    requested = readCsr(csrPem).commonName;
  } catch (err) {
    throw new PermissionDeniedError(`join for ${claims.node}: ${(err as Error).message}`, { cause: err });
  }
  if (requested !== claims.node) throw new PermissionDeniedError(`join token is for node ${claims.node}, but the certificate request is for ${requested}`);
  const keyFingerprint = csrKeyFingerprint(csrPem);
  // A node whose first answer was lost asks again with the same key: it gets the same certificate.
  const prior = authority.use(claims.mac);
  if (prior?.keyFingerprint === keyFingerprint && prior.certPem) return { certPem: prior.certPem, caPem: authority.ca.certPem };
  if (prior || !(await authority.claim(claims.mac, { keyFingerprint }))) {
    throw new PermissionDeniedError(`join token for ${claims.node} was already used; make a new one with \`strata join-token ${claims.node}\``);
  }
  const certPem = signCsr(authority.ca, csrPem, nowMs, NODE_CERT_DAYS, claims.tier);
  await authority.issued(claims.mac, { keyFingerprint, certPem });
  return { certPem, caPem: authority.ca.certPem };
}
