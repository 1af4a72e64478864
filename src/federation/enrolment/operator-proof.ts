// End-to-end proof of an operator's call (DESIGN §7): the operator's client
// signs the request it sends with the operator's key; a node that cannot
// apply the write itself forwards the signed request, and the owner checks
// the signature, the certificate (this CA, an operator, not revoked), the
// time and that the proof was not used before, then runs the call itself.
// A compromised node in between can drop the call, but not change it or
// make one up. The signed bytes are the request re-serialised from its
// decoded form, so client and server compute them the same way.

import { createHash, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { PermissionDeniedError } from '../../kernel/errors';
import { VerifiedCertificates } from '../../kernel/x509';
import type { PkiView } from './pki';

const VERSION = 'strata-operator-proof-v1';
/** Clocks of operators and owners may differ this much (NTP is a service of this product, but the CLI host may not use it). */
export const MAX_PROOF_SKEW_MS = 5 * 60_000;
const OPERATOR_PREFIX = 'operator:';

export interface OperatorProof {
  certPem: string;
  method: string;
  request: Buffer;
  timeMs: number;
  nonce: string;
  signature: Buffer;
}

function payload(method: string, request: Buffer, timeMs: number, nonce: string): Buffer {
  return Buffer.from(`${VERSION}\n${method}\n${timeMs}\n${nonce}\n${createHash('sha256').update(request).digest('hex')}`, 'utf8');
}

/** `key`: the operator's private key, PEM or (for a client that signs many calls: parsing PEM costs more than signing) a KeyObject. */
export function signOperatorCall(identity: { key: string | KeyObject; certPem: string }, method: string, request: Buffer, nowMs: number): OperatorProof {
  const nonce = randomBytes(16).toString('hex');
  return { certPem: identity.certPem, method, request, timeMs: nowMs, nonce, signature: sign('sha256', payload(method, request, nowMs, nonce), identity.key) };
}

/** Checks proofs at an owner, remembering the ones used (a replay is refused). */
export class ProofChecker {
  private readonly used = new Map<string, number>();
  private readonly certificates = new VerifiedCertificates(64);

  constructor(private readonly caPem: () => string | undefined, private readonly pki: PkiView) {}

  /** The operator's name; throws PermissionDeniedError saying what is wrong. */
  check(proof: OperatorProof, scope: string, nowMs: number): string {
    const refuse = (why: string): never => {
      throw new PermissionDeniedError(`forwarded call ${proof.method} refused at the owner: ${why}`);
    };
    const caPem = this.caPem();
    if (!caPem) return refuse('this node has no CA to check the operator against');
    const verified = this.certificates.verify(proof.certPem, caPem, nowMs);
    const subject = verified?.subject;
    if (!subject?.commonName.startsWith(OPERATOR_PREFIX)) return refuse('the proof does not carry an operator certificate from the federation CA');
    const revoked = this.pki.revoked(subject.serial);
    if (revoked) return refuse(`the certificate of ${subject.commonName} was revoked: ${revoked.reason}`);
    if (Math.abs(nowMs - proof.timeMs) > MAX_PROOF_SKEW_MS) return refuse(`it was signed at ${new Date(proof.timeMs).toISOString()}, more than ${MAX_PROOF_SKEW_MS / 60_000} minutes from this node's clock`);
    let valid = false;
    try {
      valid = verify('sha256', payload(proof.method, proof.request, proof.timeMs, proof.nonce), verified!.publicKey, proof.signature);
    } catch {
      valid = false;
    }
    if (!valid) return refuse(`the signature of ${subject.commonName} does not match the request`);
    this.forget(nowMs);
    const key = `${proof.nonce}|${scope}`;
    if (this.used.has(key)) return refuse('this proof was used already (a replay)');
    this.used.set(key, nowMs + 2 * MAX_PROOF_SKEW_MS);
    return subject.commonName;
  }

  private forget(nowMs: number): void {
    if (this.used.size < 1024) return;
    for (const [key, expiresMs] of this.used) if (expiresMs < nowMs) this.used.delete(key);
  }
}
