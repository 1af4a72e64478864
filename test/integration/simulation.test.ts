// The spine's failure cases on the in-process simulation (issue 13): the same
// Federation, link sessions and stores as real nodes, linked in memory with
// a latency per link, so a tree of a core, 2 regionals and 8 sites starts in
// well under a second and a partition or a re-parent takes milliseconds to set up.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Simulation } from '../support/simulation';

const FAST_LINK = { heartbeatMs: 100, missedHeartbeats: 3, reconnectInitialMs: 20, reconnectMaxMs: 100, primaryProbeMs: 200, writeTimeoutMs: 2000 };

for (const memoryStores of [false, true]) describe(`spine on the in-process simulation (1 core, 2 regionals, 8 sites; stores ${memoryStores ? 'in memory' : 'on lmdb'})`, function () {
  this.timeout(60_000);
  let dir: string;
  let sim: Simulation;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-sim-'));
    sim = await Simulation.start({ dir, regionals: 2, sites: 8, wanMs: 5, link: FAST_LINK, memoryStores });
    await sim.linked([...sim.nodes.keys()].filter((n) => n !== 'core'), (n) => [sim.node(n).parents[0]!.name], 10_000);
  });

  afterEach(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const r1Sites = (): string[] => sim.sites.filter((s) => sim.node(s).parents[0]!.name === 'r1');

  it('a change at the core reaches every site', async () => {
    const [change] = await sim.store('core').write('settings', [{ op: 'put', key: 'motd', value: 'hello' }]);
    await sim.reached(sim.sites, 'settings', change!.seq, 5000);
    for (const site of sim.sites) assert.equal(sim.store(site).get('settings', 'motd'), 'hello');
  });

  it('a killed regional: its sites re-parent to the core, keep receiving, and lose nothing they wrote', async () => {
    await sim.kill('r1');
    await sim.linked(r1Sites(), () => ['core'], 5000);
    const [change] = await sim.store('core').write('settings', [{ op: 'put', key: 'after.kill', value: 1 }]);
    await sim.reached(r1Sites(), 'settings', change!.seq, 5000);
    // A site's own dataset, written while on the fallback, is at the core.
    const site = r1Sites()[0]!;
    const [own] = await sim.store(site).write(`services:${site}`, [{ op: 'put', key: 'x', value: 1 }]);
    await sim.reached(['core'], `services:${site}`, own!.seq, 5000);
    await sim.startNode('r1');
    await sim.linked(r1Sites(), () => ['r1'], 10_000); // back on the primary once it is linked upward
  });

  it('a regional partitioned from the core catches up on 1,000 changes once the partition heals, and its sites with it', async () => {
    sim.cut('r2');
    const r2Sites = sim.sites.filter((s) => sim.node(s).parents[0]!.name === 'r2');
    // The core notices (missed heartbeats) — its sites stay with r2, which serves them what it holds.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const core = sim.store('core');
    let seq = 0;
    for (let i = 0; i < 10; i++) seq = (await core.write('settings', Array.from({ length: 100 }, (_, j) => ({ op: 'put' as const, key: `part.${i}.${j}`, value: j })))).at(-1)!.seq;
    assert.ok((sim.store('r2').dataset('settings')?.seq ?? 0) < seq, 'r2 did not get them through the cut');
    const healed = performance.now();
    sim.heal('r2');
    const caughtUp = await sim.reached(['r2', ...r2Sites], 'settings', seq, 10_000);
    assert.ok(caughtUp - healed < 10_000);
  });
});

describe('admission at a parent on the in-process simulation (1 core, 1 regional, 6 sites, link.admitAtOnce 1)', function () {
  this.timeout(60_000);
  let dir: string;
  let sim: Simulation;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-sim-'));
    sim = await Simulation.start({ dir, regionals: 1, sites: 6, wanMs: 5, link: { ...FAST_LINK, admitAtOnce: 1 }, memoryStores: true });
  });

  after(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes one child at a time; the others, refused as busy, come back after their backoff, and all of them link and catch up', async () => {
    await sim.linked(sim.sites, () => ['r1'], 10_000);
    const [before] = await sim.store('core').write('settings', Array.from({ length: 200 }, (_, i) => ({ op: 'put' as const, key: `before.${i}`, value: i })));
    await sim.reached(sim.sites, 'settings', before!.seq, 10_000);
    await sim.kill('r1');
    // All six sites come to the core at once: it catches them up one at a time.
    await sim.linked(sim.sites, () => ['core'], 20_000);
    const { deferred, mostJoining } = sim.node('core').federation!.admissions;
    assert.equal(mostJoining, 1, 'never more than link.admitAtOnce children catching up at the core');
    assert.ok(deferred > 0, `some sites were refused as busy and came back (${deferred})`);
    const [after] = await sim.store('core').write('settings', [{ op: 'put', key: 'after.reparent', value: 1 }]);
    await sim.reached(sim.sites, 'settings', after!.seq, 10_000);
    for (const site of sim.sites) assert.equal(sim.store(site).get('settings', 'before.199'), 199, `${site} lost nothing`);
  });
});
