// The client side of gRPC TLS for this process: its identity (the federation
// CA, and a node's or operator's key and certificate), the credentials and
// channel options every client uses, and the operator identity calls are
// signed with. Re-exported by grpc-adapter.ts, which the rest imports.

import * as grpc from '@grpc/grpc-js';
import { isOperatorCertificate } from '../enrolment/operator-proof';

/** This process's TLS identity: the federation CA, and (for a node) its own key and certificate. PEM. */
export interface TlsIdentity {
  caPem: string;
  keyPem?: string;
  certPem?: string;
  /** The CLI's: the node every call is meant for (from --node), checked against the server's certificate. */
  expectNode?: string;
}

/** A node's full identity: the CA, its key and its certificate. */
export type NodeIdentity = Required<Pick<TlsIdentity, 'caPem' | 'keyPem' | 'certPem'>>;

let clientTls: TlsIdentity | undefined;

/** The operator key and certificate this process's clients present, if they present an operator's (to sign calls with). */
export function clientOperator(): { keyPem: string; certPem: string } | undefined {
  const { keyPem, certPem } = clientTls ?? {};
  return keyPem && certPem && isOperatorCertificate(certPem) ? { keyPem, certPem } : undefined;
}

/** Every gRPC client this process makes from now on uses TLS with this identity (undefined: plaintext). */
export function useClientTls(identity: TlsIdentity | undefined): void {
  clientTls = identity;
}

/**
 * Credentials for a client of another node: TLS checked against the
 * federation's CA, presenting this node's certificate when it has one;
 * plaintext when the process has no TLS identity. Node certificates are
 * checked by name, not address (a node may be reached at any address): with
 * `expectNode` the server must hold the certificate of that node.
 */
export function clientCredentials(expectNode: string | undefined = clientTls?.expectNode): grpc.ChannelCredentials {
  if (!clientTls) return grpc.credentials.createInsecure();
  const { caPem, keyPem, certPem } = clientTls;
  return grpc.credentials.createSsl(Buffer.from(caPem), keyPem ? Buffer.from(keyPem) : null, certPem ? Buffer.from(certPem) : null, { checkServerIdentity: nodeNameCheck(expectNode) });
}

/** A TLS server-identity check by node name (the certificate's CN), or none. */
export function nodeNameCheck(expectNode: string | undefined): (host: string, cert: { subject?: { CN?: string | string[] } }) => Error | undefined {
  return (host, cert) => {
    const name = [cert.subject?.CN].flat()[0];
    if (expectNode === undefined || name === expectNode) return undefined;
    return new Error(`the server at ${host} holds the certificate of node ${name ?? '(none)'}, not of ${expectNode}`);
  };
}

/**
 * Channel options for every client: over TLS, a fixed server name instead of
 * the address (Node warns when SNI is an IP address; node certificates are
 * checked against the CA, not against a name).
 */
export const CLIENT_CHANNEL_OPTIONS: grpc.ChannelOptions = { 'grpc.ssl_target_name_override': 'strata-node', 'grpc.default_authority': 'strata-node' };

/** TLS without checking the server at all: only to fetch a CA certificate that is then checked against a pinned fingerprint. */
export function unverifiedTlsCredentials(): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(null, null, null, { rejectUnauthorized: false, checkServerIdentity: () => undefined });
}

/** Does this process present a TLS identity to the nodes it calls? */
export function hasClientTls(): boolean {
  return clientTls !== undefined;
}
