import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, sign, verify } from 'node:crypto';
import { certificateFingerprint, certificateKeyFingerprint, createCa, createCsr, describeCertificate, readCsr, releaseForge, selfSignedCertificate, signCsr, signingClientCertificate, verifiedIdentity, verifiedSubject } from '../../../src/kernel/x509';

const forgeLoaded = (): number => Object.keys(require.cache).filter((file) => file.includes('/node-forge/')).length;

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

  it('issues ECDSA P-256 client certificates (operators) under the RSA CA: verified like any other, their key signs and verifies', () => {
    const ca = createCa('Strata CA edge.example', now, 3650);
    const { keyPem, certPem } = signingClientCertificate(ca, 'operator:alice', now, 365);
    const cert = new X509Certificate(certPem);
    assert.equal(cert.publicKey.asymmetricKeyType, 'ec');
    assert.ok(cert.checkPrivateKey(createPrivateKey(keyPem)));
    assert.ok(cert.verify(new X509Certificate(ca.certPem).publicKey), 'signed by the CA');
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2'], 'client authentication only');
    assert.equal(verifiedSubject(certPem, ca.certPem, now)?.commonName, 'operator:alice');
    assert.equal(verifiedIdentity(certPem, createCa('another CA', now, 10).certPem, now), undefined);
    assert.deepEqual(describeCertificate(certPem), { commonName: 'operator:alice', hosts: [], notBeforeMs: now - 3_600_000, notAfterMs: now + 365 * 86_400_000 });
    assert.match(certificateKeyFingerprint(certPem), /^[0-9a-f]{64}$/);
    const signature = sign('sha256', Buffer.from('a change'), keyPem);
    assert.ok(verify('sha256', Buffer.from('a change'), cert.publicKey, signature));
    // Node certificates (RSA, forge) read the same way.
    const node = signCsr(ca, createCsr('berlin', ['127.0.0.1']).csrPem, now, 825);
    assert.deepEqual(describeCertificate(node).hosts, ['127.0.0.1']);
  });

  it('unloads node-forge when asked, and loads it again on the next use', () => {
    const first = createCsr('berlin', ['127.0.0.1']);
    assert.ok(forgeLoaded() > 10, 'forge is loaded by a use');
    releaseForge({ afterEachUse: false });
    assert.equal(forgeLoaded(), 0, 'no module of node-forge is left in the require cache');
    const ca = createCa('test CA', Date.now(), 30);
    const cert = new X509Certificate(signCsr(ca, first.csrPem, Date.now(), 30, 'site', ['eu']));
    assert.ok(cert.checkIssued(new X509Certificate(ca.certPem)), 'a request made before the release is signed after it');
    assert.ok(forgeLoaded() > 10, 'loaded again, and kept');
  });

  it('unloads node-forge after each later use when asked to (a site, after a renewal)', async () => {
    try {
      releaseForge({ afterEachUse: true });
      assert.equal(forgeLoaded(), 0);
      const renewal = createCsr('berlin', ['127.0.0.1']);
      assert.deepEqual(readCsr(renewal.csrPem), { commonName: 'berlin', hosts: ['127.0.0.1'] }, 'loaded for the call, in the same turn');
      await Promise.resolve();
      assert.equal(forgeLoaded(), 0, 'unloaded once the call returned');
      const ca = createCa('test CA', Date.now(), 30);
      assert.ok(new X509Certificate(signCsr(ca, renewal.csrPem, Date.now(), 30, 'site', ['eu'])).checkIssued(new X509Certificate(ca.certPem)), 'works again after');
    } finally {
      releaseForge({ afterEachUse: false });
    }
  });
});
