// A node's TLS identity on disk (DESIGN §7), in <dataDir>/tls/: the
// federation CA certificate (ca.crt) and the node's key and certificate
// (node.key, node.crt). The core also keeps the CA key (ca.key) and the
// secret its join tokens are made with (join.secret). Keys are written
// readable by the node's user only. Making tokens is here too, so
// `strata join-token` and `strata up` can make them from the core's data dir.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../kernel/clock';
import { AlreadyExistsError, ConfigError, NotFoundError } from '../kernel/errors';
import { certificateFingerprint, certificateSerial, createCa, createCsr, signCsr, signingClientCertificate, type KeyAndCertificate } from '../kernel/x509';
import { NODE_CERT_DAYS } from '../federation/enrolment/enrolment-service';
import { OPERATOR_PREFIX } from '../federation/enrolment/caller-identity';
import type { NodeIdentity } from '../federation/grpc/grpc-adapter';
import { makeJoinToken } from '../federation/enrolment/join-token';
import type { AuthorityFiles, CoreGroup } from '../core-group/core-group';

const CA_DAYS = 3650;
const OPERATOR_CERT_DAYS = 365;

function tlsDir(dataDir: string): string {
  return path.join(dataDir, 'tls');
}

function writeSecret(file: string, data: string | Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, data, { mode: 0o600 });
}

/** The node's identity, if it has enrolled (or is the core and made its own). */
export function loadIdentity(dataDir: string): NodeIdentity | undefined {
  const dir = tlsDir(dataDir);
  const files = ['ca.crt', 'node.key', 'node.crt'].map((f) => path.join(dir, f));
  if (!files.every((f) => existsSync(f))) return undefined;
  const [caPem, keyPem, certPem] = files.map((f) => readFileSync(f, 'utf8')) as [string, string, string];
  return { caPem, keyPem, certPem };
}

export function saveIdentity(dataDir: string, identity: NodeIdentity): void {
  const dir = tlsDir(dataDir);
  writeSecret(path.join(dir, 'node.key'), identity.keyPem);
  writeFileSync(path.join(dir, 'node.crt'), identity.certPem);
  writeFileSync(path.join(dir, 'ca.crt'), identity.caPem);
  rmSync(path.join(dir, 'pending.key'), { force: true });
  rmSync(path.join(dir, 'renew.key'), { force: true });
}

/** The new key a renewal asks a certificate for, kept until the certificate is installed (a lost answer is asked again with it). */
export function pendingRenewalKey(dataDir: string): string {
  const file = path.join(tlsDir(dataDir), 'renew.key');
  if (!existsSync(file)) writeSecret(file, createCsr('pending', []).keyPem);
  return readFileSync(file, 'utf8');
}

/** The key a node asks its certificate for, kept until it has one (so a repeated Join uses the same key, even after a restart). */
export function pendingKey(dataDir: string): string {
  const file = path.join(tlsDir(dataDir), 'pending.key');
  if (!existsSync(file)) writeSecret(file, createCsr('pending', []).keyPem);
  return readFileSync(file, 'utf8');
}

/** The core's CA and join secret, made on first use. */
export function ensureAuthority(coreDataDir: string, clock: Clock): { ca: KeyAndCertificate; secret: Buffer } {
  const dir = tlsDir(coreDataDir);
  const keyFile = path.join(dir, 'ca.key');
  const certFile = path.join(dir, 'ca.crt');
  const secretFile = path.join(dir, 'join.secret');
  if (!existsSync(keyFile) || !existsSync(certFile)) {
    const ca = createCa(`Strata federation CA ${randomBytes(4).toString('hex')}`, clock.nowMs(), CA_DAYS);
    writeSecret(keyFile, ca.keyPem);
    writeFileSync(certFile, ca.certPem);
  }
  if (!existsSync(secretFile)) writeSecret(secretFile, randomBytes(32).toString('hex'));
  return { ca: { keyPem: readFileSync(keyFile, 'utf8'), certPem: readFileSync(certFile, 'utf8') }, secret: Buffer.from(readFileSync(secretFile, 'utf8').trim(), 'hex') };
}

/**
 * A member of a core group: the group's CA (kept in etcd, so every member
 * issues with the same one) made this member's, before its identity is made.
 */
export async function shareCoreAuthority(coreDataDir: string, group: CoreGroup, clock: Clock): Promise<void> {
  const hasOne = existsSync(path.join(tlsDir(coreDataDir), 'ca.key'));
  const files = await group.shareAuthority(() => readAuthorityFiles(coreDataDir, clock), hasOne);
  if (files) installAuthorityFiles(coreDataDir, files);
}

export function readAuthorityFiles(coreDataDir: string, clock: Clock): AuthorityFiles {
  const { ca, secret } = ensureAuthority(coreDataDir, clock);
  return { caKeyPem: ca.keyPem, caCertPem: ca.certPem, secretHex: secret.toString('hex') };
}

/**
 * Makes `files` this core's authority. A node certificate from another CA
 * (the member made its own before it learned the group's) is removed, to be
 * signed again with this one.
 */
export function installAuthorityFiles(coreDataDir: string, files: AuthorityFiles): void {
  const dir = tlsDir(coreDataDir);
  const certFile = path.join(dir, 'ca.crt');
  const same = existsSync(certFile) && readFileSync(certFile, 'utf8') === files.caCertPem;
  writeSecret(path.join(dir, 'ca.key'), files.caKeyPem);
  writeFileSync(certFile, files.caCertPem);
  writeSecret(path.join(dir, 'join.secret'), files.secretHex);
  if (!same) for (const f of ['node.crt', 'node.key']) rmSync(path.join(dir, f), { force: true });
}

/** The core signs its own node certificate with its CA. */
export function coreIdentity(dataDir: string, name: string, hosts: string[], clock: Clock): NodeIdentity {
  const { ca } = ensureAuthority(dataDir, clock);
  const existing = loadIdentity(dataDir);
  if (existing) return existing;
  const { keyPem, csrPem } = createCsr(name, hosts);
  const identity = { caPem: ca.certPem, keyPem, certPem: signCsr(ca, csrPem, clock.nowMs(), NODE_CERT_DAYS, 'core', []) };
  saveIdentity(dataDir, identity);
  return identity;
}

/** A key (ECDSA P-256) and certificate for an operator (CN operator:<name>), signed with the CA in the core's data dir. */
export function operatorCertificate(coreDataDir: string, name: string, clock: Clock): NodeIdentity {
  if (!existsSync(path.join(tlsDir(coreDataDir), 'ca.key'))) throw new NotFoundError(`no CA at ${path.join(tlsDir(coreDataDir), 'ca.key')}; give the core's dataDir with --core-data-dir`);
  const { ca } = ensureAuthority(coreDataDir, clock);
  // ECDSA: an operator signs every change it makes (operator-proof.ts), at a tenth of RSA's cost per signature.
  const { keyPem, certPem } = signingClientCertificate(ca, `${OPERATOR_PREFIX}${name}`, clock.nowMs(), OPERATOR_CERT_DAYS);
  const dir = operatorCertificatesDir(coreDataDir, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(dir, `${certificateSerial(certPem)}.crt`), certPem, { mode: 0o600 });
  return { caPem: ca.certPem, keyPem, certPem };
}

/** Write an operator's key and certificate as `<dir>/operator.key` and `operator.crt` (and the CA as `ca.crt`). */
export function saveOperator(dir: string, identity: NodeIdentity): void {
  writeSecret(path.join(dir, 'operator.key'), identity.keyPem);
  writeFileSync(path.join(dir, 'operator.crt'), identity.certPem);
  writeFileSync(path.join(dir, 'ca.crt'), identity.caPem);
}

export interface Placement {
  tier: 'regional' | 'site';
  /** Primary first. */
  parents: string[];
  /** Re-enrol a name that has a certificate already (the core revokes the old one when it issues the new). */
  replace?: boolean;
}

/** Where the core keeps the certificate it issued to each node (easy-rsa's `issued/`): what `join-token` checks. */
export function issuedCertificateFile(coreDataDir: string, node: string): string {
  return path.join(tlsDir(coreDataDir), 'issued', `${node}.crt`);
}

/** Where `strata operator-cert` records the operator certificates it makes (one file per serial), for `strata revoke operator NAME`. */
export function operatorCertificatesDir(coreDataDir: string, name: string): string {
  return path.join(tlsDir(coreDataDir), 'issued', 'operators', name);
}

/** The core records a certificate it issued. */
export function recordIssued(coreDataDir: string, node: string, certPem: string): void {
  mkdirSync(path.join(tlsDir(coreDataDir), 'issued'), { recursive: true, mode: 0o700 });
  writeFileSync(issuedCertificateFile(coreDataDir, node), certPem, { mode: 0o600 });
}

/** A one-time join token for `node` at `placement`, made from the core's data dir; refused for an enrolled name unless `replace`. */
export function joinTokenFor(coreDataDir: string, node: string, placement: Placement, ttlS: number, clock: Clock): string {
  if (!existsSync(path.join(tlsDir(coreDataDir), 'ca.key'))) {
    throw new NotFoundError(`no CA at ${path.join(tlsDir(coreDataDir), 'ca.key')}: is ${coreDataDir} the core's dataDir, and has the core started once? Give it with --core-data-dir`);
  }
  if (!placement.replace && existsSync(issuedCertificateFile(coreDataDir, node))) {
    throw new AlreadyExistsError(`node ${node} is enrolled already (${issuedCertificateFile(coreDataDir, node)}); a second node with its name would fight it. To move or rebuild ${node}, make the token with --replace: the old certificate is revoked when the new one is issued`);
  }
  const { ca, secret } = ensureAuthority(coreDataDir, clock);
  return makeJoinToken(secret, { node, tier: placement.tier, parents: placement.parents, replace: placement.replace ?? false, expiresS: Math.floor(clock.nowMs() / 1000) + ttlS, caFingerprint: certificateFingerprint(ca.certPem) });
}

/** The join token kept in `file` (security.joinTokenFile); undefined without a file. */
export function readJoinTokenFile(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch (err) {
    throw new ConfigError('security.joinTokenFile', `cannot read the join token in ${file}: ${(err as NodeJS.ErrnoException).code ?? err}; the node deletes it once enrolled, so a node without a certificate needs a new token from \`strata join-token\``, { cause: err });
  }
}
