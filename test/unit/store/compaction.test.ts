import { strict as assert } from 'node:assert';
import type { Store } from '../../../src/store';
import { eventually, fixture, puts, type Fixture } from './helpers';

describe('store: compaction', () => {
  let fx: Fixture;
  afterEach(() => fx.cleanup());

  function seqs(store: Store, afterSeq: number): number[] | string {
    const r = store.since('d', afterSeq);
    return r.kind === 'changes' ? r.changes.map((c) => c.seq) : r.reason;
  }

  it('keeps exactly the last keepChanges when keepMs is 0', async () => {
    fx = fixture();
    const store = await fx.open({ compaction: { keepChanges: 3, keepMs: 0 } });
    await store.createDataset('d');
    await store.write('d', puts('k', 10));
    assert.equal(await store.compact('d'), 7);
    assert.equal(store.dataset('d')?.firstSeq, 8);
    assert.equal(seqs(store, 6), 'compacted');
    assert.deepEqual(seqs(store, 7), [8, 9, 10]);
    assert.equal(await store.compact('d'), 0, 'nothing more to remove');
    assert.equal(store.get('d', 'k0') !== undefined, true, 'records are never compacted');
  });

  it('keeps changes younger than keepMs and drops them at exactly keepMs', async () => {
    fx = fixture();
    const store = await fx.open({ compaction: { keepChanges: 0, keepMs: 1000 } });
    await store.createDataset('d');
    await store.write('d', puts('a', 5)); // seqs 1..5 at t0
    fx.clock.advance(500);
    await store.write('d', puts('b', 5)); // seqs 6..10 at t0+500
    fx.clock.advance(499);
    assert.equal(await store.compact(), 0, 'age 999 ms is still young');
    fx.clock.advance(1);
    assert.equal(await store.compact(), 5, 'age 1000 ms is old');
    assert.equal(store.dataset('d')?.firstSeq, 6);
    fx.clock.advance(499);
    assert.equal(await store.compact(), 0);
    fx.clock.advance(1);
    assert.equal(await store.compact(), 5);
    const info = store.dataset('d');
    assert.equal(info?.firstSeq, 11, 'empty log: firstSeq = seq + 1');
    assert.equal(info?.seq, 10);
    assert.deepEqual(seqs(store, 10), []);
    assert.equal(seqs(store, 9), 'compacted');
  });

  it('keeps a change if either rule keeps it', async () => {
    fx = fixture();
    const store = await fx.open({ compaction: { keepChanges: 3, keepMs: 1000 } });
    await store.createDataset('d');
    await store.write('d', puts('old', 4)); // 1..4, will be old
    fx.clock.advance(2000);
    await store.write('d', puts('young', 2)); // 5..6, young
    // 1..3 are old and not among the last 3 (4..6); 4 is old but among the last 3.
    assert.equal(await store.compact('d'), 3);
    assert.deepEqual(seqs(store, 3), [4, 5, 6]);
    await store.write('d', puts('more', 3)); // 7..9: 5..6 are young but no longer in the last 3
    assert.equal(await store.compact('d'), 1, 'only 4 (old, not in last 3) goes');
    assert.deepEqual(seqs(store, 4), [5, 6, 7, 8, 9]);
  });

  it('compacts long logs in several transactions', async () => {
    fx = fixture();
    const store = await fx.open({ compaction: { keepChanges: 10, keepMs: 0 } });
    await store.createDataset('d');
    for (let i = 0; i < 25; i++) await store.write('d', puts('k', 1000, i * 1000));
    assert.equal(await store.compact('d'), 24_990);
    assert.equal(store.dataset('d')?.firstSeq, 24_991);
    assert.equal((seqs(store, 24_990) as number[]).length, 10);
  });

  it('runs on the clock after startCompaction and stops on close', async () => {
    fx = fixture();
    const store = await fx.open({ compaction: { keepChanges: 2, keepMs: 0 } });
    await store.createDataset('d');
    await store.write('d', puts('k', 5));
    store.startCompaction(60_000);
    fx.clock.advance(59_999);
    assert.equal(store.dataset('d')?.firstSeq, 1);
    fx.clock.advance(1);
    await eventually(() => assert.equal(store.dataset('d')?.firstSeq, 4));
    await store.close();
    assert.equal(fx.clock.pendingTimers(), 0);
  });
});
