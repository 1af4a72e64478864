// The write path's structure (issue 16), with real processes: what made a
// write wait was a TLS handshake per call and per-change work, not the
// durable commit. Timing is the benchmark's job (`npm run bench -- writes`);
// these tests hold the structure: a long-lived client keeps one connection,
// and every write's stages are counted on /metrics where an operator reads them.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '../../src/federation/client/api-client';
import { Cluster } from '../support/cluster';
import { TcpProxy } from '../support/tcp-proxy';

const TOPOLOGY = `
federation: { domain: edge.example., baseDn: 'dc=edge,dc=example' }
nodes:
  - { name: core, tier: core, portOffset: 0 }
  - { name: berlin, tier: site, parents: [core], portOffset: 10 }
`;

/** Each stage's observation count on a node's /metrics. */
async function stageCounts(cluster: Cluster, node: string): Promise<Record<string, number>> {
  const text = await (await fetch(`http://${cluster.http.get(node)}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^strata_write_stage_seconds_count\{[^}]*stage="([a-z]+)"[^}]*\} (\d+)$/gm)) counts[m[1]!] = Number(m[2]);
  return counts;
}

function grew(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((stage) => [stage, after[stage]! - (before[stage] ?? 0)]).filter(([, n]) => (n as number) > 0));
}

describe('write path (real processes)', function () {
  this.timeout(60_000);
  let dataDir: string;
  let cluster: Cluster;
  let proxy: TcpProxy;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-writes-'));
    cluster = await Cluster.start(dataDir, { topology: TOPOLOGY });
    const [host, port] = cluster.grpc.get('core')!.split(':');
    proxy = new TcpProxy(host!, Number(port));
    await proxy.listen();
  });

  after(async () => {
    await proxy?.close();
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a kept client makes every call over one connection; a plain one connects per call (as the CLI does)', async () => {
    const address = `127.0.0.1:${proxy.port}`;
    const kept = new ApiClient(address, cluster.clock, cluster.tls).keepChannel();
    try {
      for (let i = 0; i < 20; i++) await kept.setSetting(`kept.${i}`, String(i));
      assert.equal((await kept.getSetting('kept.19')).value, '19');
    } finally {
      kept.close();
    }
    assert.equal(proxy.accepted, 1, '21 calls on one kept channel');
    const plain = new ApiClient(address, cluster.clock, cluster.tls);
    for (let i = 0; i < 3; i++) await plain.setSetting(`plain.${i}`, String(i));
    assert.equal(proxy.accepted, 4, 'one connection per call without keepChannel()');
    await kept.setSetting('after.close', 'x');
    assert.equal(proxy.accepted, 5, 'after close() a call opens a short-lived channel again');
  });

  it('counts every stage of a write where it happens: at the owner, and at a site that forwards it', async () => {
    const [coreBefore, berlinBefore] = await Promise.all([stageCounts(cluster, 'core'), stageCounts(cluster, 'berlin')]);
    const core = cluster.api('core').keepChannel();
    const berlin = cluster.api('berlin').keepChannel();
    try {
      for (let i = 0; i < 5; i++) await core.setSetting(`stage.core.${i}`, 'x');
      for (let i = 0; i < 3; i++) await berlin.setSetting(`stage.berlin.${i}`, 'x');
      await assert.rejects(core.setSetting('bad key!', 'x'), /not valid/);
    } finally {
      core.close();
      berlin.close();
    }
    const [coreAfter, berlinAfter] = await Promise.all([stageCounts(cluster, 'core'), stageCounts(cluster, 'berlin')]);
    const atCore = grew(coreBefore, coreAfter);
    // 5 + 1 refused calls were answered; 5 + 3 settings transactions (the forwarded ones too), each durable.
    assert.equal(atCore['total'], 6);
    assert.equal(atCore['authorise'], 6);
    assert.ok(atCore['commit']! >= 8 && atCore['durable'] === atCore['commit'], JSON.stringify(atCore));
    assert.equal(atCore['forward'], undefined, 'the core owns settings: nothing forwarded');
    const atBerlin = grew(berlinBefore, berlinAfter);
    assert.equal(atBerlin['total'], 3);
    assert.equal(atBerlin['forward'], 3);
    assert.equal(atBerlin['visible'], 3);
  });
});
