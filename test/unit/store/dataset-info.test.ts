// What dataset()/datasets() say after every kind of change. The store keeps
// the datasets' info in memory between commits (the write and replication
// paths ask for it several times per change); it must never be stale once
// an operation has resolved.

import { strict as assert } from 'node:assert';
import type { Store } from '../../../src/store';
import { copySnapshot, fixture, puts, type Fixture } from './helpers';

describe('store: dataset info is current after every operation', () => {
  let fx: Fixture;
  let store: Store;

  beforeEach(async () => {
    fx = fixture();
    store = await fx.open({ nodeName: 'eu', compaction: { keepChanges: 2, keepMs: 0 } });
  });
  afterEach(() => fx.cleanup());

  const names = (): string[] => store.datasets().map((d) => d.name);

  it('writes, applies, creates, drops, epoch renewals, compaction and snapshots', async () => {
    await store.createDataset('m');
    assert.deepEqual(names(), ['m']); // read (and kept) before each change below
    await store.write('m', puts('k', 5));
    assert.equal(store.dataset('m')!.seq, 5);
    assert.equal(store.datasets()[0]!.entries, 5);

    await store.createReplica('c', 'core', '0000000001-00000001');
    await store.createDataset('z');
    assert.deepEqual(names(), ['c', 'm', 'z'], 'new datasets in name order');
    await store.apply([{ dataset: 'c', epoch: '0000000001-00000001', seq: 1, op: 'put', key: 'a', value: 1, timeMs: 0 }]);
    assert.equal(store.dataset('c')!.seq, 1);
    assert.deepEqual(store.cursors(), [{ dataset: 'c', epoch: '0000000001-00000001', seq: 1 }]);

    const before = store.dataset('m')!;
    const renewed = await store.renewEpoch('m');
    assert.notEqual(renewed.epoch, before.epoch);
    assert.equal(store.dataset('m')!.epoch, renewed.epoch);

    await store.write('m', puts('j', 4));
    fx.clock.advance(10);
    assert.ok((await store.compact('m')) > 0);
    assert.equal(store.dataset('m')!.firstSeq, store.dataset('m')!.seq - 1, 'firstSeq after compaction');

    assert.equal(await store.dropDataset('z'), true);
    assert.deepEqual(names(), ['c', 'm']);
    assert.equal(store.dataset('z'), undefined);

    const owner = await fx.open({ nodeName: 'core', dir: `${fx.dir}/core` });
    await owner.createDataset('s');
    await owner.write('s', puts('x', 3));
    await copySnapshot(owner, store, 's');
    assert.deepEqual(names(), ['c', 'm', 's']);
    assert.equal(store.dataset('s')!.seq, 3);
  });

  it('hands out info that callers cannot change', async () => {
    await store.createDataset('m');
    const info = store.dataset('m')!;
    assert.throws(() => {
      (info as { seq: number }).seq = 99;
    }, TypeError);
    assert.equal(store.dataset('m')!.seq, 0);
  });
});
