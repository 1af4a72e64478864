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

  it('commits a non-durable write (a replica apply) before it returns, visible at once', async () => {
    const state = env.table<string, number>('state');
    const written = env.write(() => state.put('k', 1), false);
    assert.equal(state.get('k'), 1, 'readable before the promise is awaited: committed on this thread');
    await written;
  });

  it('never lets a non-durable write overtake a write queued before it: they commit in the order asked', async () => {
    const state = env.table<string, number>('state');
    const order: string[] = [];
    const first = env.write(() => {
      order.push('durable');
      state.put('k', 1);
    });
    const second = env.write(() => {
      order.push('apply');
      state.put('k', 2);
    }, false);
    await Promise.all([first, second]);
    assert.deepEqual(order, ['durable', 'apply']);
    assert.equal(state.get('k'), 2, 'the later write wins');
    // Once nothing is queued, an apply commits here again.
    await env.write(() => state.put('k', 3), false);
    assert.equal(state.get('k'), 3);
  });

  it('rolls back a non-durable write whose fn throws, and rejects', async () => {
    const state = env.table<string, number>('state');
    await env.write(() => state.put('k', 1), false);
    await assert.rejects(env.write(() => {
      state.put('k', 2);
      throw new Error('no');
    }, false), /no/);
    assert.equal(state.get('k'), 1);
  });
});
