// Who a linking child is, by the certificate it presented (DESIGN §7): its
// name and tier when the federation CA issued it a node certificate.

import { verifiedSubject } from '../../kernel/x509';
import { OPERATOR_PREFIX } from './caller-identity';
import type { TlsIdentity } from '../grpc/grpc-adapter';

export interface ChildIdentity {
  name: string;
  tier: string | undefined;
  /** Where the core placed it (its certificate's parents); undefined for a certificate without placement. */
  parents: string[] | undefined;
  serial: string;
}

/** The child's identity; null when it has no node certificate from the CA (none, another CA's, an operator's); undefined in plaintext mode. */
export function childIdentity(cert: Buffer | undefined, tls: TlsIdentity | undefined, nowMs: number): ChildIdentity | null | undefined {
  if (!tls) return undefined;
  const subject = cert && verifiedSubject(cert, tls.caPem, nowMs);
  if (!subject || subject.commonName.startsWith(OPERATOR_PREFIX)) return null; // operators manage nodes; they do not link as one
  return { name: subject.commonName, tier: subject.unit, parents: subject.parents, serial: subject.serial };
}
