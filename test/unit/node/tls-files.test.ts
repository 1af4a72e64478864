import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import type os from 'node:os';
import { selfSignedCertificate } from '../../../src/kernel/x509';
import { certificateHosts, missingNames } from '../../../src/node/tls-files';

const iface = (address: string, internal = false): os.NetworkInterfaceInfo => ({ address, internal, netmask: '', family: address.includes(':') ? 'IPv6' : 'IPv4', mac: '00:00:00:00:00:00', cidr: null } as unknown as os.NetworkInterfaceInfo);

describe('node: the names a node certificate is valid for', () => {
  const machine = { lo: [iface('127.0.0.1', true), iface('::1', true)], eth0: [iface('10.1.0.20'), iface('2001:db8::20'), iface('fe80::1')] };

  it('lists every address of the machine when listening on all (grpcurl HOST:PORT checks the one it dialled), without link-local ones', () => {
    const hosts = certificateHosts('0.0.0.0', 'berlin', { interfaces: machine });
    for (const host of ['127.0.0.1', '::1', '10.1.0.20', '2001:db8::20', 'localhost', 'berlin']) assert.ok(hosts.includes(host), `${host} in ${hosts.join(' ')}`);
    assert.ok(!hosts.includes('fe80::1'), 'link-local addresses are not reachable names');
    assert.deepEqual(certificateHosts('10.1.0.20', 'berlin', { interfaces: machine }).slice(0, 1), ['10.1.0.20'], 'a specific listen address: that one');
    assert.ok(!certificateHosts('10.1.0.20', 'berlin', { interfaces: machine }).includes('2001:db8::20'));
  });

  it('puts them in the certificate as IP and DNS names', () => {
    const { certPem } = selfSignedCertificate({ commonName: 'berlin', hosts: certificateHosts('0.0.0.0', 'berlin', { interfaces: machine }), nowMs: Date.now(), days: 1 });
    const san = new X509Certificate(certPem).subjectAltName ?? '';
    assert.match(san, /IP Address:10\.1\.0\.20/);
    assert.match(san, /IP Address:2001:DB8:0:0:0:0:0:20/i);
    assert.match(san, /DNS:berlin/);
  });

  it('adds the configured names, and finds those a certificate lacks', () => {
    const names = ['berlin.example.com', '203.0.113.7', '2001:db8::7'];
    const hosts = certificateHosts('10.1.0.20', 'berlin', { interfaces: machine, names });
    for (const name of names) assert.ok(hosts.includes(name), name);
    const { certPem } = selfSignedCertificate({ commonName: 'berlin', hosts, nowMs: Date.now(), days: 1 });
    assert.deepEqual(missingNames(certPem, names), []);
    assert.deepEqual(missingNames(certPem, [...names, 'BERLIN.example.com', 'kiosk.example.com', '2001:db8::8']), ['kiosk.example.com', '2001:db8::8']);
  });
});
