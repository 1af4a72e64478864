// The spine with real node processes: replication down and up the tree,
// failover to fallback parents and back, forwarded writes, crash and
// partition recovery (issue "The spine", behaviours 1–6).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fetchNodeStatus } from '../../src/federation/client/status-client';
import { Cluster } from '../support/cluster';
import { eventually } from '../support/eventually';

const SITES = ['berlin', 'paris', 'nyc', 'sfo'];

function tempDir(label: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `strata-${label}-`));
}

async function writeMany(cluster: Cluster, node: string, count: number, prefix: string, batch = 100, concurrency = 4): Promise<void> {
  const batches: Array<Array<{ key: string; value: string }>> = [];
  for (let i = 0; i < count; i += batch) {
    batches.push(Array.from({ length: Math.min(batch, count - i) }, (_, j) => ({ key: `${prefix}.${String(i + j).padStart(6, '0')}`, value: `v${i + j}` })));
  }
  const api = cluster.api(node);
  const workers = Array.from({ length: concurrency }, async () => {
    for (let next = batches.shift(); next; next = batches.shift()) await api.setSettings(next);
  });
  await Promise.all(workers);
}

async function sameAsCore(cluster: Cluster, name: string): Promise<void> {
  const [core, replica] = await Promise.all([cluster.settings('core'), cluster.settings(name)]);
  assert.equal(replica.seq, core.seq, `${name} is at seq ${replica.seq}, core at ${core.seq}`);
  assert.deepEqual(replica.settings, core.settings);
}

describe('spine (real processes)', function () {
  this.timeout(180_000);
  let dataDir: string;
  let cluster: Cluster | undefined;

  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('1. a setting written at the core becomes readable at every site (the time is printed; bench -- propagation measures it)', async () => {
    dataDir = tempDir('spine1');
    cluster = await Cluster.start(dataDir);
    await cluster.api('core').setSetting('greeting', 'hello');
    const written = Date.now();
    await Promise.all(SITES.map((site) => eventually(async () => assert.equal((await cluster!.api(site).getSetting('greeting')).value, 'hello'), 10_000, 10)));
    console.log(`      (visible at all four sites ${Date.now() - written} ms after the write returned)`);
    const fromSite = await cluster.api('berlin').setSetting('from.berlin', 'yes');
    assert.equal(fromSite.owner, 'core');
    assert.equal((await cluster.api('berlin').getSetting('from.berlin')).value, 'yes', 'read-your-writes at the node that forwarded it');
  });

  it('2. kill -9 of a regional: its sites re-parent to the core, keep receiving, and move back when it returns', async () => {
    dataDir = tempDir('spine2');
    cluster = await Cluster.start(dataDir);
    await cluster.kill('us');
    const killed = Date.now();
    await eventually(async () => {
      const view = await cluster!.topologyAt('core');
      for (const site of ['nyc', 'sfo']) {
        const r = view.nodes.find((n) => n.name === site);
        assert.ok(r?.connected && r.parent === 'core', `${site} not re-parented yet: ${JSON.stringify(r)}`);
      }
    }, 5000, 50);
    console.log(`      (nyc and sfo re-parented to core ${Date.now() - killed} ms after kill -9 of us)`);
    const view = await cluster.topologyAt('core');
    const us = view.nodes.find((n) => n.name === 'us')!;
    assert.equal(us.connected, false, 'the core shows us as lost');
    assert.ok(Number(us.lastSeenMs) > 0 && Number(us.lastSeenMs) <= view.nowMs);
    await cluster.api('core').setSetting('while.us.down', '1');
    for (const site of ['nyc', 'sfo']) await eventually(async () => assert.equal((await cluster!.api(site).getSetting('while.us.down')).value, '1'), 10_000);

    await cluster.startNode('us');
    await cluster.waitLinked(15_000);
    await sameAsCore(cluster, 'us');
    await cluster.api('core').setSetting('after.us.back', '1');
    for (const site of ['nyc', 'sfo']) await eventually(async () => assert.equal((await cluster!.api(site).getSetting('after.us.back')).value, '1'), 10_000);
  });

  it('3. kill -9 of the core: others keep serving, writes fail with UNAVAILABLE naming the core, nothing lost on restart', async () => {
    dataDir = tempDir('spine3');
    cluster = await Cluster.start(dataDir);
    await writeMany(cluster, 'core', 50, 'before');
    const before = await cluster.settings('core');
    await Promise.all(SITES.map((s) => eventually(() => sameAsCore(cluster!, s))));
    await cluster.kill('core');
    for (const name of ['eu', 'us', ...SITES]) {
      assert.deepEqual((await cluster.settings(name)).settings, before.settings, `${name} still serves what it holds`);
    }
    for (const name of ['berlin', 'eu']) {
      await assert.rejects(cluster.api(name).setSetting('during.outage', 'x'), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'UNAVAILABLE');
        assert.match(err.message, /core/);
        assert.match(err.message, /not applied/);
        return true;
      });
    }
    await cluster.startNode('core');
    assert.deepEqual((await cluster.settings('core')).settings, before.settings, 'nothing lost at the core');
    await eventually(() => cluster!.api('berlin').setSetting('after.outage', 'y'), 15_000, 200);
    await eventually(() => sameAsCore(cluster!, 'sfo'), 5000);
    assert.equal((await cluster.api('sfo').getSetting('after.outage')).value, 'y');
  });

  it('4. a site killed during a stream of 10,000 changes restarts with exactly the owner data', async () => {
    dataDir = tempDir('spine4');
    cluster = await Cluster.start(dataDir);
    const writing = writeMany(cluster, 'core', 10_000, 'burst');
    await eventually(async () => assert.ok((await cluster!.settings('paris')).seq > 1000), 30_000, 20);
    await cluster.kill('paris');
    await writing;
    await cluster.startNode('paris');
    await eventually(() => sameAsCore(cluster!, 'paris'), 30_000, 100);
    assert.equal(Object.keys((await cluster.settings('paris')).settings).length, 10_000);
  });

  it('5. a child whose cursor was compacted away gets a snapshot; a re-created owner (new epoch) resyncs replicas', async () => {
    dataDir = tempDir('spine5');
    cluster = await Cluster.start(dataDir, { nodeConfig: { store: { compaction: { keepChanges: 100, keepMs: 0, intervalMs: 1000 } } } });
    await writeMany(cluster, 'core', 200, 'early');
    await eventually(() => sameAsCore(cluster!, 'berlin'));
    const berlinSeq = (await cluster.settings('berlin')).seq;
    await cluster.kill('berlin');
    await writeMany(cluster, 'core', 1000, 'late');
    await cluster.api('core').deleteSetting('early.000000');
    await eventually(() => sameAsCore(cluster!, 'eu'));
    // Until core's and eu's logs no longer reach back to berlin's cursor (compaction ran on both).
    await eventually(async () => {
      for (const node of ['core', 'eu']) {
        const settings = (await fetchNodeStatus(cluster!.grpc.get(node)!, cluster!.clock, cluster!.tls)).datasets.find((d) => d.name === 'settings');
        assert.ok(settings && Number(settings.firstSeq) > berlinSeq + 1, `${node}'s log starts at ${settings?.firstSeq}, berlin is at ${berlinSeq}`);
      }
    }, 15_000, 100);
    await cluster.startNode('berlin');
    await eventually(() => sameAsCore(cluster!, 'berlin'), 15_000);
    assert.match(readFileSync(path.join(dataDir, 'berlin', 'node.log'), 'utf8'), /receiving snapshot/);

    await cluster.kill('core');
    rmSync(path.join(dataDir, 'core', 'store'), { recursive: true, force: true });
    await cluster.startNode('core');
    await cluster.api('core').setSetting('fresh', 'start');
    for (const name of ['eu', 'berlin', 'nyc']) {
      await eventually(() => sameAsCore(cluster!, name), 15_000);
      assert.deepEqual((await cluster.settings(name)).settings, { fresh: 'start' }, `${name} holds only the new epoch's data`);
    }
  });

  it('6. a regional partitioned from the core for 30 s catches up on 5,000 changes when the link returns', async () => {
    dataDir = tempDir('spine6');
    cluster = await Cluster.start(dataDir, { proxied: ['eu'] });
    cluster.proxies.get('eu')!.cut();
    await eventually(async () => {
      const eu = (await cluster!.topologyAt('core')).nodes.find((n) => n.name === 'eu');
      assert.equal(eu?.connected, false);
    }, 10_000);
    const cutAt = Date.now();
    await writeMany(cluster, 'core', 5000, 'partition');
    const eu = await cluster.settings('eu');
    assert.ok(eu.seq < (await cluster.settings('core')).seq, 'eu did not receive changes while cut off');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 30_000 - (Date.now() - cutAt))));
    cluster.proxies.get('eu')!.restore();
    const restored = Date.now();
    await eventually(() => sameAsCore(cluster!, 'eu'), 20_000, 20);
    console.log(`      (eu caught up on 5,000 changes ${Date.now() - restored} ms after the link returned)`);
    await eventually(() => sameAsCore(cluster!, 'berlin'), 10_000);
  });
});
