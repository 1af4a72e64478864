// The client side of gRPC TLS: a client's identity (the federation CA, and a
// node's or operator's key and certificate) as a ClientTls each client is
// given, the credentials and channel options every client uses, and the
// operator identity calls are signed with. Re-exported by grpc-adapter.ts,
// which the rest imports. No process-wide state.

import * as grpc from '@grpc/grpc-js';
import { X509Certificate } from 'node:crypto';

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

/**
 * How one client (a node, the CLI, a test, an application) reaches nodes: TLS
 * checked against the federation CA with its own key and certificate when it
 * has an identity, plaintext without one. Passed to every client explicitly:
 * two nodes, or a node and a test, can share a process.
 */
export class ClientTls {
  static readonly PLAINTEXT = new ClientTls(undefined);

  constructor(readonly identity: TlsIdentity | undefined) {}

  /** Does it present a TLS identity (or at least trust a CA)? */
  get secured(): boolean {
    return this.identity !== undefined;
  }

  /**
   * Credentials for a client of a node. Node certificates are checked by
   * name, not address (a node may be reached at any address): with
   * `expectNode` the server must hold the certificate of that node.
   */
  credentials(expectNode: string | undefined = this.identity?.expectNode): grpc.ChannelCredentials {
    if (!this.identity) return grpc.credentials.createInsecure();
    const { caPem, keyPem, certPem } = this.identity;
    return grpc.credentials.createSsl(Buffer.from(caPem), keyPem ? Buffer.from(keyPem) : null, certPem ? Buffer.from(certPem) : null, { checkServerIdentity: nodeNameCheck(expectNode) });
  }

  /** The operator key and certificate it presents, if it presents an operator's (to sign calls with). */
  operator(): { keyPem: string; certPem: string } | undefined {
    const { keyPem, certPem } = this.identity ?? {};
    return keyPem && certPem && isOperatorCertificate(certPem) ? { keyPem, certPem } : undefined;
  }
}

/** The ClientTls of an identity that may change (a node's, renewed): made again only when it has. */
export function clientTlsOf(identity: () => TlsIdentity | undefined): () => ClientTls {
  let cached = ClientTls.PLAINTEXT;
  return () => {
    const now = identity();
    if (cached.identity !== now) cached = new ClientTls(now);
    return cached;
  };
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

/** Is this certificate an operator's (by its common name; not verified)? */
export function isOperatorCertificate(certPem: string | undefined): boolean {
  if (!certPem) return false;
  try {
    return /(?:^|\n)CN=operator:/.test(new X509Certificate(certPem).subject);
  } catch {
    return false;
  }
}
