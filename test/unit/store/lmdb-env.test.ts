import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLmdbEnv, type LmdbEnv } from '../../../src/store/engine/lmdb-env';

describe('lmdb environment: writes', () => {
  let dir: string;
  let env: LmdbEnv;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-env-'));
    env = openLmdbEnv(dir);
  });
  afterEach(async () => {
    await env.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits on lmdb\'s writer thread, never on the caller\'s (which would wait there for an fsync): durable or not', async () => {
    const state = env.table<string, number>('state');
    for (const options of [{}, { durable: false }]) {
      let visibleAt: number | undefined;
      const written = env.write(() => state.put('k', 1), { ...options, visible: () => (visibleAt = state.get('k')) });
      assert.equal(state.get('k'), undefined, 'not committed before the caller awaits');
      await written;
      assert.equal(visibleAt, 1, 'visible() was told once readers see it');
      await env.write(() => state.remove('k'), options);
    }
  });

  it('commits writes in the order asked; the last one wins', async () => {
    const state = env.table<string, number>('state');
    const order: string[] = [];
    const writes = [{}, { durable: false }, {}].map((options, i) => env.write(() => {
      order.push(`w${i}`);
      state.put('k', i);
    }, options));
    await Promise.all(writes);
    assert.deepEqual(order, ['w0', 'w1', 'w2']);
    assert.equal(state.get('k'), 2);
  });

  it('rolls back a write whose fn throws, and rejects; the others of its batch commit', async () => {
    const state = env.table<string, number>('state');
    const good = env.write(() => state.put('a', 1), { durable: false });
    const bad = env.write(() => {
      state.put('k', 2);
      throw new Error('no');
    }, { durable: false });
    await assert.rejects(bad, /no/);
    await good;
    assert.equal(state.get('k'), undefined);
    assert.equal(state.get('a'), 1);
  });
});
