// Metrics conformance: what every node serves on /metrics passes Prometheus's
// own checker (`promtool check metrics`, Debian `prometheus`), after the
// node has answered DNS (cache misses and hits, NXDOMAIN), LDAP, NTP and writes.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from '../support/cluster';
import { requireTools } from '../support/debian-tools';
import { lookup4 } from '../support/dns-client';
import { eventually } from '../support/eventually';
import { ADMIN, ldapCode, LdapClient } from '../support/ldap-client';
import { ntpQuery } from '../support/ntp-client';

function promtool(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

describe('metrics conformance (promtool)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let cluster: Cluster;

  before(async () => {
    requireTools(['promtool']);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-conf-metrics-'));
    cluster = await Cluster.start(dataDir, {
      topology: `
federation: { domain: edge.example., baseDn: 'dc=edge,dc=example' }
nodes:
  - { name: core, tier: core, portOffset: 0 }
  - { name: berlin, tier: site, parents: [core], portOffset: 10 }
`,
      perNode: { berlin: { dns: { workers: 1 } } },
    });
  });

  after(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every node\'s /metrics passes `promtool check metrics`, with DNS hits and misses counted apart', async () => {
    await cluster.api('berlin').setSetting('conformance', 'metrics');
    const dns = cluster.dns.get('berlin')!;
    await eventually(async () => assert.equal(await lookup4(dns, 'nothing.berlin.edge.example'), 'NXDOMAIN'), 10_000, 100);
    for (let i = 0; i < 5; i++) await lookup4(dns, 'nothing.berlin.edge.example'); // from the packet cache
    assert.equal(await ldapCode(LdapClient.bound(cluster.ldap.get('berlin')!, ADMIN, 'not-the-password')), 49, 'LDAP answers');
    assert.ok(await ntpQuery(cluster.ntp.get('berlin')!), 'NTP answers');
    for (const node of ['core', 'berlin']) {
      const text = await (await fetch(`http://${cluster.http.get(node)}/metrics`)).text();
      const checked = await promtool(text);
      assert.equal(checked.code, 0, `promtool check metrics on ${node}'s /metrics:\n${checked.output}`);
      assert.equal(checked.output.trim(), '', `no lint findings at ${node}:\n${checked.output}`);
    }
    // The same response code, counted by how it was answered: computed (miss; here by the worker, from the held zone) or from a packet cache (hit).
    // A worker reports its counts to the node every second.
    await eventually(async () => {
      const text = await (await fetch(`http://${cluster.http.get('berlin')}/metrics`)).text();
      assert.match(text, /^strata_dns_responses_total\{transport="udp",rcode="3",cache="miss"[^}]*\} [1-9]/m);
      assert.match(text, /^strata_dns_responses_total\{transport="udp",rcode="3",cache="hit"[^}]*\} [1-9]/m);
    }, 5000, 200);
  });
});
