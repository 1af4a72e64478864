import { strict as assert } from 'node:assert';
import type { Store } from '../../../src/store';
import { fixture, puts, type Fixture } from './helpers';

describe('store: concurrent writes', () => {
  let fx: Fixture;
  let store: Store;

  beforeEach(async () => {
    fx = fixture();
    store = await fx.open();
    await store.createDataset('d');
  });
  afterEach(() => fx.cleanup());

  it('gives 50 concurrent writes of 100 mutations the seqs 1..5000 with no gap or duplicate', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, w) => store.write('d', puts(`w${w}-`, 100))));
    for (const changes of results) {
      const seqs = changes.map((c) => c.seq);
      assert.deepEqual(seqs, seqs.map((_, i) => seqs[0] + i), 'each write gets a consecutive run');
    }
    const all = results.flat().map((c) => c.seq).sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: 5000 }, (_, i) => i + 1));
    const log = store.since('d', 0, { limit: 10_000 });
    assert.ok(log.kind === 'changes');
    assert.deepEqual(log.changes, results.flat().sort((a, b) => a.seq - b.seq));
    assert.equal(store.dataset('d')?.seq, 5000);
    assert.equal(store.dataset('d')?.entries, 5000);
  });

  it('interleaves writes to several datasets and a close that waits for them', async () => {
    await store.createDataset('e');
    const pending = Array.from({ length: 20 }, (_, i) => store.write(i % 2 ? 'd' : 'e', puts('k', 10, i * 10)));
    await store.close();
    const settled = await Promise.allSettled(pending);
    assert.ok(settled.every((s) => s.status === 'fulfilled'), 'close waits for pending writes');
    const again = await fx.open();
    assert.equal(again.dataset('d')?.seq, 100);
    assert.equal(again.dataset('e')?.seq, 100);
  });
});
