// X.509 certificates, the only file that imports node-forge. Keys are made
// by node:crypto (native, fast); forge builds and signs the certificate.
// Today: a self-signed server certificate (LDAPS until the core's CA of
// DESIGN §7 issues node certificates). It does not store anything.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

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
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
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
    { name: 'subjectAltName', altNames: request.hosts.map((host) => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host })) },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert) };
}

/** Subject common name, alternative names and expiry of a PEM certificate (for status and errors). */
export function describeCertificate(certPem: string): { commonName: string; hosts: string[]; notAfterMs: number } {
  const cert = forge.pki.certificateFromPem(certPem);
  const san = cert.getExtension('subjectAltName') as { altNames?: Array<{ type: number; value?: string; ip?: string }> } | null;
  return {
    commonName: String(cert.subject.getField('CN')?.value ?? ''),
    hosts: (san?.altNames ?? []).map((a) => a.ip ?? a.value ?? ''),
    notAfterMs: cert.validity.notAfter.getTime(),
  };
}
