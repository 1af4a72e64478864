import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../../src/kernel/clock';
import { StoreError } from '../../../src/kernel/errors';
import { Store } from '../../../src/store';
import { beginStaging, discardAllStaging, hasGarbage, sweepStep, SWEEP_BATCH } from '../../../src/store/generations';
import { genRange, logKey, recordKey, tablesOf } from '../../../src/store/layout';
import { openLmdbEnv, type LmdbEnv } from '../../../src/store/engine/lmdb-env';

describe('store: generations and failures', () => {
  let dir: string;
  let env: LmdbEnv | undefined;

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'strata-gen-'))));
  afterEach(async () => {
    await env?.close();
    env = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns a staging generation left by a crash into garbage and sweeps it in batches', async () => {
    env = openLmdbEnv(dir);
    const tables = tablesOf(env, undefined);
    const count = SWEEP_BATCH + 123;
    const gen = await env.write(() => {
      const g = beginStaging(tables, 'd');
      for (let i = 0; i < count; i++) tables.records.put(recordKey(g, `k${i}`), i);
      tables.log.put(logKey(g, 1), { op: 'put', key: 'k0', value: 0, timeMs: 0 });
      tables.index.put([g, 'tag=x', 'k0'], 1);
      return g;
    });
    const neighbour = await env.write(() => {
      const g = beginStaging(tables, 'e');
      tables.records.put(recordKey(g, 'keep'), 1);
      return g;
    });
    assert.equal(await env.write(() => discardAllStaging(tables)), 2);
    assert.equal(hasGarbage(tables), true);
    const steps: number[] = [];
    while (hasGarbage(tables)) steps.push(await env.write(() => sweepStep(tables)));
    assert.deepEqual(steps, [SWEEP_BATCH, 125, 1]);
    assert.deepEqual([...tables.records.keys(genRange(gen))], []);
    assert.deepEqual([...tables.log.keys(genRange(gen))], []);
    assert.deepEqual([...tables.index.keys(genRange(gen))], [], 'index rows go with their generation');
    assert.deepEqual([...tables.records.keys(genRange(neighbour))], []);
  });

  it('wraps storage failures in a StoreError that names the directory', async () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    await assert.rejects(Store.open({ dir: join(file, 'db'), nodeName: 'n', clock: new FakeClock() }), (err: Error) => {
      assert.ok(err instanceof StoreError);
      assert.match(err.message, /open failed for store .*not-a-dir/);
      assert.ok(err.cause);
      return true;
    });
  });
});
