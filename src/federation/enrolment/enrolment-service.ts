// strata.v1.EnrolmentService (DESIGN §7): the CA certificate for anyone, and
// Join — at the core, a one-time token and a certificate request for the
// token's node become a certificate; elsewhere, Join is passed to the parent.

import type { Clock } from '../../kernel/clock';
import { FailedPreconditionError, InvalidArgumentError, PermissionDeniedError, UnavailableError } from '../../kernel/errors';
import { certificateKeyFingerprint, certificateSerial, csrKeyFingerprint, readCsr, signCsr, type KeyAndCertificate } from '../../kernel/x509';
import type { IssuedNode, PkiView } from './pki';
import { checkRenewal, RENEWED, type RenewRequest } from './renewal';
import type { EnrolmentServiceHandlers } from '../grpc/generated/strata/v1/EnrolmentService';
import type { JoinResponse } from '../grpc/generated/strata/v1/JoinResponse';
import { reply, strataProto, type GrpcServer } from '../grpc/grpc-adapter';
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
  /** The node of this name as the registry has it (enrolled, not revoked). */
  enrolled(name: string): IssuedNode | undefined;
  /** Record a certificate issued to `name` in the registry; `previous`, if any, is revoked. */
  register(name: string, certPem: string, issued: IssuedNode, previous: IssuedNode | undefined, reason?: string): Promise<void>;
  /** The certificate last issued to `name` (PEM), as recorded. */
  issuedCertificate(name: string): string | undefined;
  /** Revoke the certificates of a node or `operator:<name>`; resolves with their serials. */
  revoke(name: string, reason: string): Promise<string[]>;
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
  /** Elsewhere: Renew passed to the current parent. */
  forwardRenew(request: RenewRequest & { hops: number }): Promise<JoinResponse>;
  /** The certificate registry as held here. */
  pki(): PkiView;
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
    Renew: (call, callback) =>
      reply(callback, async () => {
        const { csrPem, currentCertPem, signature, hops } = call.request;
        const authority = deps.authority();
        if (authority) return renew(authority, deps.pki(), { csrPem, currentCertPem, signature }, deps.clock.nowMs());
        if (hops >= MAX_JOIN_HOPS) throw new UnavailableError(`renewal passed ${MAX_JOIN_HOPS} nodes without reaching the core`);
        return deps.forwardRenew({ csrPem, currentCertPem, signature, hops: hops + 1 });
      }),
    Revoke: (call, callback) =>
      reply(callback, async () => {
        const authority = deps.authority();
        if (!authority) throw new FailedPreconditionError(`certificates are revoked at the core, and ${deps.nodeName} is not the core; run \`strata revoke\` with --node core`);
        if (!call.request.name) throw new InvalidArgumentError('name the node, or operator:<name>, whose certificates to revoke');
        return { serials: await authority.revoke(call.request.name, call.request.reason || 'revoked by an operator') };
      }),
  };
  server.addService(strataProto().EnrolmentService.service, handlers);
}

async function renew(authority: Authority, pki: PkiView, request: RenewRequest, nowMs: number): Promise<JoinResponse> {
  const { name, repeat } = checkRenewal(request, authority.ca.certPem, pki, nowMs);
  const current = authority.enrolled(name);
  if (repeat) {
    // Renewed already and the answer was lost: the same new key gets the same certificate; anything else is refused.
    const issued = authority.issuedCertificate(name);
    if (issued && certificateKeyFingerprint(issued) === csrKeyFingerprint(request.csrPem)) return { certPem: issued, caPem: authority.ca.certPem };
    throw new PermissionDeniedError(`renewal for ${name} refused: its certificate was revoked (renewed already, for another key)`);
  }
  if (!current) throw new PermissionDeniedError(`renewal for ${name} refused: it is not in the certificate registry (enrolled before there was one?); re-enrol it with \`strata join-token ${name} --replace\``);
  const certPem = signCsr(authority.ca, request.csrPem, nowMs, NODE_CERT_DAYS, current.tier, current.parents);
  await authority.register(name, certPem, { tier: current.tier, parents: current.parents, serial: certificateSerial(certPem), issuedAtMs: nowMs }, current, RENEWED);
  return { certPem, caPem: authority.ca.certPem };
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
  // Registered after the claim is recorded, and again on a repeat: a Join cut short in between still completes.
  const registered = async (certPem: string, repeat: boolean): Promise<JoinResponse> => {
    const serial = certificateSerial(certPem);
    const current = authority.enrolled(claims.node);
    if (current?.serial !== serial) {
      // A repeat must not bring back a certificate that was superseded since (a later --replace, a renewal).
      if (repeat && current) throw new PermissionDeniedError(`join token for ${claims.node} was used, and its certificate has been superseded since; make a new one with \`strata join-token ${claims.node} --replace\``);
      await authority.register(claims.node, certPem, { tier: claims.tier, parents: claims.parents, serial, issuedAtMs: nowMs }, current);
    }
    return { certPem, caPem: authority.ca.certPem };
  };
  if (prior?.keyFingerprint === keyFingerprint && prior.certPem) return registered(prior.certPem, true);
  const used = (): PermissionDeniedError => new PermissionDeniedError(`join token for ${claims.node} was already used; make a new one with \`strata join-token ${claims.node}\``);
  if (prior) throw used();
  // One live identity per name: a second node with an enrolled name would fight the first for its data.
  const previous = authority.enrolled(claims.node);
  if (previous && !claims.replace) {
    throw new PermissionDeniedError(`node ${claims.node} is enrolled already (certificate ${previous.serial}); to move or rebuild it, make the token with \`strata join-token ${claims.node} --replace\` (the old certificate is then revoked)`);
  }
  if (!(await authority.claim(claims.mac, { keyFingerprint }))) throw used();
  const certPem = signCsr(authority.ca, csrPem, nowMs, NODE_CERT_DAYS, claims.tier, claims.parents);
  await authority.issued(claims.mac, { keyFingerprint, certPem });
  return registered(certPem, false);
}
