// security.certificateNames: the names clients dial a node by (a DNS name, an
// address in front of it) go into its node certificate — enrolled at a site,
// self-signed at the core — and its self-signed LDAPS certificate; a name
// added later is put in at the next start, by a renewal over the tree.

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { Cluster } from '../support/cluster';
import { eventually } from '../support/eventually';

const TOPOLOGY = `
federation: { domain: edge.example., baseDn: 'dc=edge,dc=example' }
nodes:
  - { name: core, tier: core }
  - { name: berlin, tier: site, parents: [core], portOffset: 30 }
`;

const names = (file: string): string => new X509Certificate(readFileSync(file)).subjectAltName ?? '';

describe('certificate names from the config (real processes)', function () {
  this.timeout(60_000);
  let dataDir: string;
  let cluster: Cluster;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-certnames-'));
    cluster = await Cluster.start(dataDir, {
      topology: TOPOLOGY,
      perNode: {
        core: { security: { certificateNames: ['core.example.test'] } },
        berlin: { security: { certificateNames: ['berlin.example.test', '127.0.0.77'] } },
      },
    });
  });

  after(async () => {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('puts the configured names into the node and LDAPS certificates, and a name added later at the next start', async () => {
    assert.match(names(path.join(dataDir, 'core', 'tls', 'node.crt')), /DNS:core\.example\.test/);
    const berlinCert = path.join(dataDir, 'berlin', 'tls', 'node.crt');
    assert.match(names(berlinCert), /DNS:berlin\.example\.test/);
    assert.match(names(berlinCert), /IP Address:127\.0\.0\.77/);
    assert.match(names(path.join(dataDir, 'berlin', 'tls', 'ldaps.crt')), /DNS:berlin\.example\.test/);

    const config = parse(readFileSync(cluster.configFile('berlin'), 'utf8')) as { security: { certificateNames: string[] } };
    config.security.certificateNames.push('kiosk.example.test');
    writeFileSync(cluster.configFile('berlin'), stringify(config));
    const before = readFileSync(berlinCert, 'utf8');
    await cluster.kill('berlin');
    await cluster.startNode('berlin');
    await eventually(() => assert.match(names(berlinCert), /DNS:kiosk\.example\.test/), 15_000, 100);
    assert.notEqual(readFileSync(berlinCert, 'utf8'), before, 'a new certificate, signed over the tree');
    assert.match(names(path.join(dataDir, 'berlin', 'tls', 'ldaps.crt')), /DNS:kiosk\.example\.test/);
    await cluster.waitLinked();
    await cluster.api('core').setSetting('after-renewal', 'yes');
    await eventually(async () => assert.equal((await cluster.settings('berlin')).settings['after-renewal'], 'yes'), 10_000, 100);
  });
});
