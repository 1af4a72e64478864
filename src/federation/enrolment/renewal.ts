// Certificate renewal over the tree (DESIGN §7: "certificates renewed over
// the link"): a node asks for a certificate for a new key before its current
// one expires, proving who it is with the current key. The core checks the
// current certificate (this CA, in date, not revoked, the one its registry
// holds for the name), issues the new one with the same name, tier and
// parents, and revokes the old (the node's links reconnect with the new).

import { createHash, sign, verify, X509Certificate } from 'node:crypto';
import { PermissionDeniedError } from '../../kernel/errors';
import { createCsr, readCsr, verifiedSubject } from '../../kernel/x509';
import type { PkiView } from './pki';

export interface RenewRequest {
  csrPem: string;
  currentCertPem: string;
  signature: Buffer;
}

function digest(csrPem: string): Buffer {
  return createHash('sha256').update(`strata-renew-v1\n${csrPem}`).digest();
}

/** A renewal request for a new key (`newKeyPem`, kept by the caller until installed, so a retry asks for the same), signed with the current one. */
export function renewRequest(current: { keyPem: string; certPem: string }, name: string, hosts: string[], newKeyPem?: string): { keyPem: string; request: RenewRequest } {
  const { keyPem, csrPem } = createCsr(name, hosts, newKeyPem);
  return { keyPem, request: { csrPem, currentCertPem: current.certPem, signature: sign('sha256', digest(csrPem), current.keyPem) } };
}

/**
 * At the core: the node name the request renews, if the current certificate
 * and signature hold up. `repeat`: the certificate was already renewed (an
 * answer lost): the caller answers with the certificate it issued then, if
 * it is for the same new key.
 */
export function checkRenewal(request: RenewRequest, caPem: string, pki: PkiView, nowMs: number): { name: string; repeat: boolean } {
  const current = verifiedSubject(request.currentCertPem, caPem, nowMs);
  if (!current || current.commonName.startsWith('operator:')) throw new PermissionDeniedError('renewal refused: the current certificate is not a valid node certificate of this federation (expired ones must re-enrol with a join token)');
  const name = current.commonName;
  const revoked = pki.revoked(current.serial);
  if (revoked && revoked.reason !== RENEWED) throw new PermissionDeniedError(`renewal for ${name} refused: its certificate was revoked (${revoked.reason})`);
  const registered = pki.node(name);
  if (!revoked && registered && registered.serial !== current.serial) throw new PermissionDeniedError(`renewal for ${name} refused: certificate ${current.serial} is not its current one (${registered.serial})`);
  let valid = false;
  try {
    valid = verify('sha256', digest(request.csrPem), new X509Certificate(request.currentCertPem).publicKey, request.signature);
  } catch {
    valid = false;
  }
  if (!valid) throw new PermissionDeniedError(`renewal for ${name} refused: the request is not signed by the current certificate's key`);
  if (readCsr(request.csrPem).commonName !== name) throw new PermissionDeniedError(`renewal for ${name} refused: the new certificate request is for another name`);
  return { name, repeat: revoked !== undefined };
}

/** The revocation reason of a certificate replaced by its renewal. */
export const RENEWED = 'renewed';

/** Should a certificate valid until `notAfterMs` (issued `notBeforeMs`) be renewed now? When less than a third of its life is left, or within `renewBeforeMs`. */
export function renewalDue(notBeforeMs: number, notAfterMs: number, nowMs: number, renewBeforeMs: number): boolean {
  const left = notAfterMs - nowMs;
  return left < (notAfterMs - notBeforeMs) / 3 || left < renewBeforeMs;
}
