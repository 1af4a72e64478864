// since() keeps its last answer per dataset (a relay's child links all ask
// for the same changes at once). These check the answer kept is never one
// the log has moved past: new changes, a dataset dropped and made again at
// the same seq, a snapshot installed, compaction.

import { strict as assert } from 'node:assert';
import type { Change, Store } from '../../../src/store';
import { fixture, puts, type Fixture } from './helpers';

const values = (result: ReturnType<Store['since']>): unknown[] => (result.kind === 'changes' ? result.changes.map((c: Change) => c.value) : [result.reason]);

describe('store: since() answers kept between callers', () => {
  let fx: Fixture;
  let store: Store;

  beforeEach(async () => {
    fx = fixture();
    store = await fx.open();
  });
  afterEach(() => fx.cleanup());

  it('gives callers at the same cursor one frozen answer, and a new one once the log grows', async () => {
    await store.createDataset('zone:a');
    await store.write('zone:a', puts('k', 3));
    const first = store.since('zone:a', 1);
    assert.equal(store.since('zone:a', 1), first);
    assert.deepEqual(values(first), [{ n: 1 }, { n: 2 }]);
    assert.throws(() => (first.kind === 'changes' ? first.changes.push(first.changes[0]!) : undefined), TypeError);
    await store.write('zone:a', puts('k', 1, 3));
    assert.deepEqual(values(store.since('zone:a', 1)), [{ n: 1 }, { n: 2 }, { n: 3 }]);
    // Another cursor or limit is another answer.
    assert.deepEqual(values(store.since('zone:a', 2, { limit: 1 })), [{ n: 2 }]);
  });

  it('never answers from a dataset that was dropped and made again at the same seq', async () => {
    await store.createDataset('zone:a');
    await store.write('zone:a', puts('old', 2));
    assert.deepEqual(values(store.since('zone:a', 0)), [{ n: 0 }, { n: 1 }]);
    await store.dropDataset('zone:a');
    await store.createDataset('zone:a');
    await store.write('zone:a', puts('new', 2, 10));
    assert.deepEqual(values(store.since('zone:a', 0)), [{ n: 10 }, { n: 11 }]);
  });

  it('never answers from before a snapshot was installed in a replica', async () => {
    await store.createReplica('zone:r', 'core', 'e1');
    await store.apply([1, 2].map((seq) => ({ dataset: 'zone:r', epoch: 'e1', seq, op: 'put' as const, key: `k${seq}`, value: { v: seq }, timeMs: 0 })));
    assert.deepEqual(values(store.since('zone:r', 0)), [{ v: 1 }, { v: 2 }]);
    // The owner started a new epoch: the replica takes a snapshot at seq 2, its log starts after it.
    const install = store.beginSnapshot('zone:r', 'core', 'e2', 2);
    await install.add([{ key: 'k9', value: { v: 9 } }]);
    await install.commit();
    assert.deepEqual(values(store.since('zone:r', 0)), ['compacted']);
    assert.deepEqual(values(store.since('zone:r', 0, { epoch: 'e1' })), ['epoch']);
  });

  it('never answers from a log that compaction has cut', async () => {
    const compacting = await fx.open({ dir: `${fx.dir}/c`, compaction: { keepChanges: 2, keepMs: 0 } });
    await compacting.createDataset('zone:a');
    await compacting.write('zone:a', puts('k', 5));
    const before = compacting.since('zone:a', 0);
    await compacting.compact('zone:a');
    const after = compacting.since('zone:a', 0);
    assert.notEqual(after, before);
    assert.deepEqual(values(after), ['compacted']);
  });
});
