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

  it('ranges on a snapshot read that snapshot: after lmdb moved its shared read transaction on, and inside a write', async () => {
    const state = env.table<string, number>('state');
    const keys = (rows: Iterable<{ key: string }>): string[] => [...rows].map((r) => r.key);
    await env.write(() => state.put('a', 1));
    const pinned = env.pin(true);
    try {
      await env.write(() => state.put('b', 2));
      await new Promise((resolve) => setTimeout(resolve, 5)); // lmdb renews its shared read transaction after a commit
      assert.deepEqual(keys(state.range({ snapshot: pinned })), ['a'], 'the pinned snapshot, not lmdb\'s newer one');
      assert.deepEqual(keys(state.range({})), ['a', 'b']);
    } finally {
      pinned.release();
    }
    const seen = await env.write(() => {
      state.put('c', 3);
      return env.read((snapshot) => keys(state.range({ snapshot })));
    });
    assert.deepEqual(seen, ['a', 'b'], 'the snapshot, not the write in progress');
    assert.deepEqual(env.read((snapshot) => keys(state.range({ snapshot }))), ['a', 'b', 'c']);
  });
});
