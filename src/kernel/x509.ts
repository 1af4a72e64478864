// X.509 certificates, the only file that imports node-forge. Keys are made
// by node:crypto (native, fast); forge builds and signs certificates and
// requests; node:crypto verifies them. A self-signed server certificate
// (LDAPS), the core's CA, node certificate requests and their signing
// (DESIGN §7). It does not store anything.

import { X509Certificate, createHash, createPublicKey, generateKeyPairSync, randomBytes, sign as nodeSign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import type Forge from 'node-forge';
import { BoundedMap } from './bounded-map';

/**
 * node-forge (~40 modules, ~3 MB of a process) is loaded on first use: a node makes certificates
 * and requests when it enrols or renews, and reads them with node:crypto the rest of the time.
 */
let forgeModule: typeof Forge | undefined;
let releaseAfterUse = false;
const forge = new Proxy({} as typeof Forge, {
  get: (_, property) => {
    if (!forgeModule) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
      forgeModule = require('node-forge') as typeof Forge;
      // Every use is one synchronous call here: unloaded again once it has returned.
      if (releaseAfterUse) queueMicrotask(unloadForge);
    }
    return forgeModule[property as keyof typeof Forge];
  },
});

/**
 * Unloads node-forge, now and (`afterEachUse`) again after each later use: a node process that
 * will not sign certificates, once it has made its key, request and LDAPS certificate at start,
 * and after each renewal (~2 MB of an idle site's RSS, issue 13). A use loads it again.
 * Nothing of forge's outlives a call here: every function takes and returns PEM strings.
 */
export function releaseForge(opts: { afterEachUse: boolean }): void {
  releaseAfterUse = opts.afterEachUse;
  unloadForge();
}

function unloadForge(): void {
  if (!forgeModule) return;
  forgeModule = undefined;
  const forgeFiles = `${path.sep}node-forge${path.sep}`;
  for (const file of Object.keys(require.cache)) if (file.includes(forgeFiles)) delete require.cache[file];
  const kept = module.children.filter((child) => !child.id.includes(forgeFiles));
  module.children.splice(0, module.children.length, ...kept);
}

export interface CertificateRequest {
  commonName: string;
  /** Subject alternative names: IP addresses and DNS names the certificate is valid for. */
  hosts: string[];
  nowMs: number;
  days: number;
}

export interface KeyAndCertificate {
  keyPem: string;
  certPem: string;
}

export function selfSignedCertificate(request: CertificateRequest): KeyAndCertificate {
  const { keyPem, publicKey } = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`; // positive, 16 bytes
  cert.validity.notBefore = new Date(request.nowMs - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(request.nowMs + request.days * 24 * 60 * 60 * 1000);
  const subject = [{ name: 'commonName', value: request.commonName }, { name: 'organizationName', value: 'Strata' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: altNames(request.hosts) },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert) };
}

/** Subject common name, alternative names and expiry of a PEM certificate (for status and errors), whatever its key type. */
export function describeCertificate(certPem: string): { commonName: string; hosts: string[]; notBeforeMs: number; notAfterMs: number } {
  const cert = new X509Certificate(certPem);
  return {
    commonName: /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1] ?? '',
    hosts: (cert.subjectAltName ?? '').split(', ').filter(Boolean).map((name) => name.replace(/^(IP Address|DNS):/, '')).filter((name) => !name.startsWith('URI:')),
    notBeforeMs: Date.parse(cert.validFrom),
    notAfterMs: Date.parse(cert.validTo),
  };
}

function newKeyPair(): { keyPem: string; publicKey: Forge.pki.PublicKey } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) };
}

function keyPairOf(keyPem: string): { keyPem: string; publicKey: Forge.pki.PublicKey } {
  const spki = createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }).toString();
  return { keyPem, publicKey: forge.pki.publicKeyFromPem(spki) };
}

/** SHA-256 of the public key a CSR carries (to recognise a request repeated with the same key). */
export function csrKeyFingerprint(csrPem: string): string {
  const csr = forge.pki.certificationRequestFromPem(csrPem);
  const der = forge.asn1.toDer(forge.pki.publicKeyToAsn1(csr.publicKey!)).getBytes();
  return createHash('sha256').update(Buffer.from(der, 'binary')).digest('hex');
}

/** SHA-256 of the public key a certificate carries (same form as csrKeyFingerprint: the DER SubjectPublicKeyInfo), whatever its key type. */
export function certificateKeyFingerprint(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

function altNames(hosts: string[]): Array<{ type: number; ip?: string; value?: string }> {
  return hosts.map((host) => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host }));
}

/** A certificate authority: a self-signed CA certificate and its key (DESIGN §7: the core runs a small CA). */
export function createCa(name: string, nowMs: number, days: number): KeyAndCertificate {
  const { keyPem, publicKey } = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(nowMs - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(nowMs + days * 24 * 60 * 60 * 1000);
  const subject = [{ name: 'commonName', value: name }, { name: 'organizationName', value: 'Strata' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert) };
}

/** A PKCS#10 request for `commonName`, asking for the given host names, with `existingKeyPem` or a new key. */
export function createCsr(commonName: string, hosts: string[], existingKeyPem?: string): { keyPem: string; csrPem: string } {
  const { keyPem, publicKey } = existingKeyPem ? keyPairOf(existingKeyPem) : newKeyPair();
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = publicKey;
  csr.setSubject([{ name: 'commonName', value: commonName }]);
  csr.setAttributes([{ name: 'extensionRequest', extensions: [{ name: 'subjectAltName', altNames: altNames(hosts) }] }]);
  csr.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { keyPem, csrPem: forge.pki.certificationRequestToPem(csr) };
}

/** The common name a CSR asks for (after checking its self-signature), and its requested host names. */
export function readCsr(csrPem: string): { commonName: string; hosts: string[] } {
  let csr: Forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(csrPem);
  } catch (err) {
    throw new Error(`not a PEM certificate request: ${(err as Error).message}`, { cause: err });
  }
  if (!csr.verify()) throw new Error('the certificate request is not signed by its own key');
  const requested = csr.getAttribute({ name: 'extensionRequest' }) as { extensions?: Array<{ name: string; altNames?: Array<{ ip?: string; value?: string }> }> } | null;
  const san = requested?.extensions?.find((e) => e.name === 'subjectAltName');
  return { commonName: String(csr.subject.getField('CN')?.value ?? ''), hosts: (san?.altNames ?? []).map((a) => a.ip ?? a.value ?? '').filter(Boolean) };
}

/** Where a node sits, as its certificate says: its parents (primary first), as a URI subject alternative name. */
const PLACEMENT_URI = 'urn:strata:parents:';

/**
 * Issue a certificate for a CSR, usable as TLS server and client (node-to-node
 * links are mutual); `unit` becomes the subject's OU (a node's tier) and
 * `parents` the node's placement (DESIGN §7: a parent accepts a child's link
 * only if the child's certificate names it).
 */
export function signCsr(ca: KeyAndCertificate, csrPem: string, nowMs: number, days: number, unit?: string, parents?: string[]): string {
  const csr = forge.pki.certificationRequestFromPem(csrPem);
  const { commonName, hosts } = readCsr(csrPem);
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = csr.publicKey!;
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(nowMs - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(nowMs + days * 24 * 60 * 60 * 1000);
  cert.setSubject([{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'Strata' }, ...(unit ? [{ name: 'organizationalUnitName', value: unit }] : [])]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    { name: 'subjectAltName', altNames: [...altNames(hosts.length > 0 ? hosts : [commonName]), ...(parents ? [{ type: 6, value: `${PLACEMENT_URI}${parents.join('+')}` }] : [])] },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/**
 * A key and certificate for a client that signs often (an operator: every change it makes carries
 * its signature): ECDSA P-256, whose signatures cost a tenth of RSA-2048's, signed by the CA (RSA).
 * forge builds RSA certificates only, so the certificate is built with the CA's key as a stand-in,
 * its SubjectPublicKeyInfo replaced by the EC key's, and the whole signed here.
 */
export function signingClientCertificate(ca: KeyAndCertificate, commonName: string, nowMs: number, days: number): KeyAndCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = caCert.publicKey; // stand-in: replaced below
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(nowMs - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(nowMs + days * 24 * 60 * 60 * 1000);
  cert.setSubject([{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'Strata' }]);
  cert.setIssuer(caCert.subject.attributes);
  // RFC 5280 §4.2.1.2 method 1: the SHA-1 of the subjectPublicKey bits (the last 65 octets of a P-256 SPKI).
  const keyId = createHash('sha1').update(spki.subarray(spki.length - 65)).digest('binary');
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'subjectKeyIdentifier', value: forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OCTETSTRING, false, keyId) },
  ]);
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids['sha256WithRSAEncryption']!;
  // (In forge, not in its type definitions.)
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: Forge.pki.Certificate): Forge.asn1.Asn1 }).getTBSCertificate(cert);
  // TBSCertificate: version, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, extensions.
  (tbs.value as Forge.asn1.Asn1[])[6] = forge.asn1.fromDer(spki.toString('binary'));
  const tbsDer = Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary');
  (cert as unknown as { tbsCertificate: Forge.asn1.Asn1 }).tbsCertificate = tbs;
  cert.signature = nodeSign('sha256', tbsDer, ca.keyPem).toString('binary');
  return { keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certPem: forge.pki.certificateToPem(cert) };
}

/** The serial number, upper-case hex (what revocation names). */
export function certificateSerial(certPem: string): string {
  return new X509Certificate(certPem).serialNumber.toUpperCase();
}

/** SHA-256 of the certificate's DER, lower-case hex (what a join token pins). */
export function certificateFingerprint(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256.replace(/:/g, '').toLowerCase();
}

/** The common name of a certificate (DER or PEM) that `caPem` issued and that is valid at `nowMs`; undefined otherwise. */
export function verifiedIdentity(cert: Buffer | string, caPem: string, nowMs: number): string | undefined {
  return verifiedSubject(cert, caPem, nowMs)?.commonName;
}

export interface VerifiedSubject {
  commonName: string;
  unit: string | undefined;
  /** The placement a node certificate carries (its parents, primary first); undefined when it carries none. */
  parents: string[] | undefined;
  /** Upper-case hex, as X509Certificate gives it: what revocation names. */
  serial: string;
  notAfterMs: number;
}

/** Subject, placement and serial of a certificate `caPem` issued, valid at `nowMs`; undefined otherwise. */
export function verifiedSubject(cert: Buffer | string, caPem: string, nowMs: number): VerifiedSubject | undefined {
  try {
    const peer = new X509Certificate(cert);
    const ca = new X509Certificate(caPem);
    if (!peer.checkIssued(ca) || !peer.verify(ca.publicKey)) return undefined;
    const notAfterMs = Date.parse(peer.validTo);
    if (nowMs < Date.parse(peer.validFrom) || nowMs > notAfterMs) return undefined;
    const commonName = /(?:^|\n)CN=([^\n]+)/.exec(peer.subject)?.[1];
    if (commonName === undefined) return undefined;
    const placement = (peer.subjectAltName ?? '').split(', ').find((n) => n.startsWith(`URI:${PLACEMENT_URI}`));
    const parents = placement === undefined ? undefined : placement.slice(`URI:${PLACEMENT_URI}`.length).split('+').filter(Boolean);
    return { commonName, unit: /(?:^|\n)OU=([^\n]+)/.exec(peer.subject)?.[1], parents, serial: peer.serialNumber.toUpperCase(), notAfterMs };
  } catch {
    return undefined;
  }
}

/**
 * Certificates verified already, by CA and certificate: a client presents
 * the same certificate on every call, and parsing and verifying it costs
 * about 1 ms. Only the validity period is checked again; revocation is for
 * the caller to look up each time.
 */
export class VerifiedCertificates {
  private readonly known: BoundedMap<string, { subject: VerifiedSubject; notBeforeMs: number; publicKey: KeyObject }>;

  constructor(max = 1024) {
    this.known = new BoundedMap(max);
  }

  verify(cert: Buffer | string, caPem: string, nowMs: number): { subject: VerifiedSubject; publicKey: KeyObject } | undefined {
    const key = createHash('sha256').update(caPem).update(cert).digest('base64');
    let entry = this.known.get(key);
    if (!entry) {
      const subject = verifiedSubject(cert, caPem, nowMs);
      if (!subject) return undefined;
      const parsed = new X509Certificate(cert);
      entry = { subject, notBeforeMs: Date.parse(parsed.validFrom), publicKey: parsed.publicKey };
      this.known.set(key, entry);
    }
    return nowMs >= entry.notBeforeMs && nowMs <= entry.subject.notAfterMs ? entry : undefined;
  }
}
