// A fleet mid-upgrade: the core still speaks the previous link protocol
// (link.protocolVersion: PROTOCOL_VERSION − 1, as a node of the previous
// release does), the nodes below it the current one. They link, agree on the
// older protocol, replicate both ways, and the core keeps hearing about every
// node below (protocol 1 has no report deltas: its children send every report
// every heartbeat). A config asking for a protocol out of range is refused.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster, CORE_EU_BERLIN } from '../support/cluster';
import { eventually } from '../support/eventually';
import { runStrata } from '../support/strata-cli';
import { PROTOCOL_VERSION } from '../../src/federation/link/link-session';

const TOPOLOGY = CORE_EU_BERLIN;

describe('a fleet mid-upgrade: the core one link protocol behind (real processes)', function () {
  this.timeout(60_000);
  let dataDir: string;
  let cluster: Cluster;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-upgrade-'));
    cluster = await Cluster.start(dataDir, { topology: TOPOLOGY, perNode: { core: { link: { protocolVersion: PROTOCOL_VERSION - 1 } } } });
  });

  after(async () => {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('links on the older protocol, replicates both ways, and the core keeps hearing about the nodes two levels below', async () => {
    assert.match(readFileSync(path.join(dataDir, 'core', 'node.log'), 'utf8'), new RegExp(`"child":"eu","protocol":${PROTOCOL_VERSION - 1}`));
    assert.match(readFileSync(path.join(dataDir, 'berlin', 'node.log'), 'utf8'), /parent link up|linked to parent/);
    await cluster.api('core').setSetting('mixed', 'yes');
    await eventually(async () => assert.equal((await cluster.settings('berlin')).settings['mixed'], 'yes'), 10_000, 100);
    await cluster.api('berlin').unary('RecordService', 'AddRecord', { zone: '', name: 'kiosk', type: 'A', data: '127.0.30.5', ttl: 60, hasTtl: true });
    await eventually(async () => {
      const answer = await cluster.api('core').unary<{ answers: unknown[] }>('ResolverService', 'Resolve', { name: 'kiosk.berlin.eu.edge.example.', type: 'A' });
      assert.equal(answer.answers.length, 1);
    }, 10_000, 100);
    // Nothing changes at berlin now: a protocol-2 child would send nothing more about it, and a protocol-1 parent
    // would then see berlin as last heard from when it linked. It must stay fresh.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const topology = await cluster.topologyAt('core');
    const berlin = topology.nodes.find((n) => n.name === 'berlin');
    assert.ok(berlin?.connected, 'berlin connected, as the core sees it');
    const ageMs = Number(topology.nowMs) - Number(berlin.lastSeenMs);
    assert.ok(ageMs < 3500, `berlin last heard from ${ageMs} ms ago at the core (heartbeats are 1 s: two hops, each up to 1 s; unreported, it would be 6 s or more)`);
  });

  it('refuses a config that asks for a link protocol this release does not speak', async () => {
    const file = path.join(dataDir, 'bad.yaml');
    const config = readFileSync(cluster.configFile('eu'), 'utf8').replace(/^link:.*$/m, '').concat(`\nlink: { protocolVersion: ${PROTOCOL_VERSION + 1} }\n`);
    writeFileSync(file, config);
    const result = await runStrata(['node', '--config', file, '--check']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /link\.protocolVersion/);
  });
});
