// The LDAPS certificate of a node: the files named in its config, or a
// self-signed one made at first start and kept in <dataDir>/tls/ (key
// readable by the node's user only). Clients trust it by its file, e.g.
// LDAPTLS_CACERT=<dataDir>/tls/ldaps.crt. Replaced by certificates from the
// core's CA when enrolment (DESIGN §7) is built.

import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../kernel/clock';
import { ConfigError } from '../kernel/errors';
import type { HostPort } from '../kernel/host-port';
import { selfSignedCertificate } from '../kernel/x509';

export interface ServerCredentials {
  key: string;
  cert: string;
  /** Where the certificate is, for clients to trust. */
  certFile: string;
}

const SELF_SIGNED_DAYS = 825;

function read(file: string, field: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(field, `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}; check the path and its permissions`, { cause: err });
  }
}

/**
 * Names a node's certificate is valid for: its listen address (when it listens
 * on all: loopback and every address of the machine), localhost, the host
 * name, the node name, and the names configured (security.certificateNames).
 */
export function certificateHosts(listenHost: string, node: string, options: { names?: readonly string[]; interfaces?: NodeJS.Dict<os.NetworkInterfaceInfo[]> } = {}): string[] {
  const interfaces = options.interfaces ?? os.networkInterfaces();
  const wildcard = ['0.0.0.0', '::'].includes(listenHost);
  // Listening on every address: every address of this machine is one clients may use (grpcurl HOST:15300 checks it).
  const machine = Object.values(interfaces).flatMap((list) => (list ?? []).filter((i) => !i.address.startsWith('fe80:')).map((i) => i.address));
  return [...new Set([...(wildcard ? ['127.0.0.1', '::1', ...machine] : [listenHost]), 'localhost', os.hostname(), node, ...(options.names ?? [])])];
}

/** The configured names a certificate does not name (compared as the certificate writes them: IPv6 expanded, case ignored). */
export function missingNames(certPem: string, names: readonly string[]): string[] {
  if (names.length === 0) return [];
  const san = (new X509Certificate(certPem).subjectAltName ?? '').split(', ').map((n) => n.replace(/^(DNS|IP Address):/, '').toLowerCase());
  return names.filter((name) => !san.includes(isIP(name) === 6 ? expandIpv6(name) : name.toLowerCase()));
}

function expandIpv6(address: string): string {
  const [head, tail] = address.toLowerCase().split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

export function ldapsCredentials(dataDir: string, node: string, listen: HostPort, configured: { certFile: string; keyFile: string } | undefined, clock: Clock, names: readonly string[] = []): ServerCredentials {
  if (configured) {
    return { cert: read(configured.certFile, 'directory.tls.certFile'), key: read(configured.keyFile, 'directory.tls.keyFile'), certFile: configured.certFile };
  }
  const dir = path.join(dataDir, 'tls');
  const certFile = path.join(dir, 'ldaps.crt');
  const keyFile = path.join(dir, 'ldaps.key');
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile, 'utf8');
    // Made again when a configured name is missing from it (names added to the config since).
    if (missingNames(cert, names).length === 0) return { cert, key: readFileSync(keyFile, 'utf8'), certFile };
  }
  const hosts = certificateHosts(listen.host, node, { names });
  const made = selfSignedCertificate({ commonName: `${node} (Strata LDAPS)`, hosts, nowMs: clock.nowMs(), days: SELF_SIGNED_DAYS });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(keyFile, made.keyPem, { mode: 0o600 });
  writeFileSync(certFile, made.certPem);
  return { cert: made.certPem, key: made.keyPem, certFile };
}
