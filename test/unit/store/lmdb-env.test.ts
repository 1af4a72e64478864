import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLmdbEnv, type LmdbEnv } from '../../../src/store/engine/lmdb-env';

const APPLY = { durable: false, small: true };

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

  it('commits a small non-durable write (a replica apply) before it returns, visible at once', async () => {
    const state = env.table<string, number>('state');
    const written = env.write(() => state.put('k', 1), APPLY);
    assert.equal(state.get('k'), 1, 'readable before the promise is awaited: committed on this thread');
    await written;
  });

  it('commits a small durable write (an owner write) on this thread too, and resolves once synced', async () => {
    const state = env.table<string, number>('state');
    let visibleAt: number | undefined;
    const written = env.write(() => state.put('k', 1), { small: true, visible: () => (visibleAt = state.get('k')) });
    assert.equal(state.get('k'), 1, 'committed before the promise is awaited');
    assert.equal(visibleAt, 1, 'visible() was told at the commit, before the sync');
    await written;
  });

  it('leaves a big write to the batch: not committed until awaited', async () => {
    const state = env.table<string, number>('state');
    const written = env.write(() => state.put('k', 1), { durable: false });
    assert.equal(state.get('k'), undefined, 'not committed on this thread');
    await written;
    assert.equal(state.get('k'), 1);
  });

  it('never lets a small write overtake a write queued before it: they commit in the order asked', async () => {
    const state = env.table<string, number>('state');
    const order: string[] = [];
    const first = env.write(() => {
      order.push('batch');
      state.put('k', 1);
    });
    const second = env.write(() => {
      order.push('apply');
      state.put('k', 2);
    }, APPLY);
    const third = env.write(() => {
      order.push('owner');
      state.put('k', 3);
    }, { small: true });
    await Promise.all([first, second, third]);
    assert.deepEqual(order, ['batch', 'apply', 'owner']);
    assert.equal(state.get('k'), 3, 'the last write wins');
    // Once nothing is queued, an apply commits here again.
    await env.write(() => state.put('k', 4), APPLY);
    assert.equal(state.get('k'), 4);
  });

  it('sends a durable write to the batch while another one waits for its sync, and both resolve durable', async () => {
    const state = env.table<string, number>('state');
    const first = env.write(() => state.put('a', 1), { small: true });
    const second = env.write(() => state.put('b', 2), { small: true });
    assert.equal(state.get('a'), 1, 'the first commits here');
    assert.equal(state.get('b'), undefined, 'the second joins the batch (one sync at a time)');
    await Promise.all([first, second]);
    assert.equal(state.get('b'), 2);
  });

  it('rolls back a small write whose fn throws, and rejects', async () => {
    const state = env.table<string, number>('state');
    await env.write(() => state.put('k', 1), APPLY);
    for (const options of [APPLY, { small: true }]) {
      await assert.rejects(env.write(() => {
        state.put('k', 2);
        throw new Error('no');
      }, options), /no/);
      assert.equal(state.get('k'), 1);
    }
  });
});
