import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { certificateFingerprint, createCa, createCsr, readCsr, selfSignedCertificate, signCsr, verifiedIdentity } from '../../../src/kernel/x509';

describe('x509 (node-forge adapter)', function () {
  this.timeout(20_000);
  const now = Date.parse('2026-11-28T00:00:00Z');

  it('makes a CA that issues node certificates for client and server use; verifies identity against the CA only', () => {
    const ca = createCa('Strata CA edge.example', now, 3650);
    const { csrPem, keyPem } = createCsr('berlin', ['127.0.0.1', 'berlin.example']);
    assert.deepEqual(readCsr(csrPem), { commonName: 'berlin', hosts: ['127.0.0.1', 'berlin.example'] });
    const certPem = signCsr(ca, csrPem, now, 825);
    const cert = new X509Certificate(certPem);
    assert.ok(cert.checkPrivateKey(createPrivateKey(keyPem)));
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.equal(verifiedIdentity(certPem, ca.certPem, now), 'berlin');
    assert.equal(verifiedIdentity(certPem, ca.certPem, now + 900 * 86_400_000), undefined, 'expired');
    const other = createCa('another CA', now, 10);
    assert.equal(verifiedIdentity(certPem, other.certPem, now), undefined, 'issued by another CA');
    const self = selfSignedCertificate({ commonName: 'berlin', hosts: ['127.0.0.1'], nowMs: now, days: 10 });
    assert.equal(verifiedIdentity(self.certPem, ca.certPem, now), undefined, 'self-signed');
    assert.match(certificateFingerprint(ca.certPem), /^[0-9a-f]{64}$/);
  });

  it('refuses a CSR that is not signed by its own key', () => {
    const { csrPem } = createCsr('berlin', []);
    const der = Buffer.from(csrPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const at = der.indexOf(Buffer.from('berlin'));
    der.write('paris!', at); // claim another name without re-signing
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE REQUEST-----\n`;
    assert.throws(() => readCsr(tampered), /not signed by its own key/);
  });
});
