// Shared datasets (a core group's, sequenced in etcd): the store holds a
// mirror that only the sequencer's log advances. Writes and creations of
// owned datasets go to the sequencer; the mirror is advanced with
// applyShared/installShared; nobody else may change it.

import { strict as assert } from 'node:assert';
import type { Change, DatasetInfo, Mutation, Sequencer, Store } from '../../../src/store';
import { fixture, type Fixture } from './helpers';

/** A sequencer in memory: seqs follow on from the mirror, applied back through applyShared like the watch does. */
class MemorySequencer implements Sequencer {
  store!: Store;
  readonly writes: Array<{ name: string; mutations: Mutation[] }> = [];

  async write(name: string, mutations: Mutation[]): Promise<Change[]> {
    this.writes.push({ name, mutations });
    this.store.checkExpectations(name, mutations);
    const held = this.store.dataset(name)!;
    const changes = mutations.map((m, i): Change => ({ dataset: name, epoch: held.epoch, seq: held.seq + 1 + i, op: m.op, key: m.key, value: m.value, timeMs: 0 }));
    await this.store.applyShared(changes);
    return changes;
  }

  create(name: string, owner: string): Promise<DatasetInfo> {
    return this.store.installShared({ name, owner, epoch: '0000000001-aaaaaaaa', seq: 0 }, []);
  }
}

describe('store: shared datasets (a core group\'s mirror)', () => {
  let fx: Fixture;
  let store: Store;
  let sequencer: MemorySequencer;

  beforeEach(async () => {
    fx = fixture();
    sequencer = new MemorySequencer();
    store = await fx.open({ nodeName: 'core', sequencer });
    sequencer.store = store;
  });
  afterEach(() => fx.cleanup());

  it('creates and writes through the sequencer; the mirror holds the records, the log and the seqs', async () => {
    const info = await store.createDataset('settings');
    assert.equal(info.shared, true);
    assert.equal(info.role, 'owner');
    assert.equal(info.epoch, '0000000001-aaaaaaaa');
    const changes = await store.write('settings', [{ op: 'put', key: 'a', value: 1 }, { op: 'put', key: 'b', value: 2 }]);
    assert.deepEqual(changes.map((c) => c.seq), [1, 2]);
    assert.equal(sequencer.writes.length, 1, 'the write went to the sequencer');
    assert.equal(store.get('settings', 'a'), 1);
    const since = store.since('settings', 0);
    assert.equal(since.kind, 'changes');
    assert.deepEqual(since.kind === 'changes' && since.changes.map((c) => c.key), ['a', 'b'], 'the mirror re-serves the log to children');
    assert.equal((await store.ensureDataset('settings')).seq, 2, 'ensureDataset returns the mirror as held');
  });

  it("checks a write's expectations on the mirror, with the writes ordered before it", async () => {
    await store.createDataset('dir');
    await store.write('dir', [{ op: 'put', key: 'uid=a', value: { cn: 'A' } }]);
    assert.throws(() => store.checkExpectations('dir', [{ op: 'put', key: 'uid=a', value: {}, expect: { exists: false } }]), /already exists/);
    assert.doesNotThrow(() => store.checkExpectations('dir', [{ op: 'put', key: 'uid=b', value: {}, expect: { exists: false } }]));
    assert.throws(() => store.checkExpectations('dir', [{ op: 'put', key: 'uid=b', value: {}, expect: { exists: false } }], new Map([['uid=b', {}]])), /already exists/, 'an earlier write in the same batch counts');
    assert.throws(() => store.checkExpectations('dir', [{ op: 'delete', key: 'uid=a', expect: { exists: true } }], new Map([['uid=a', undefined]])), /does not exist/);
    await assert.rejects(store.write('dir', [{ op: 'put', key: 'uid=a', value: {}, expect: { exists: false } }]), /already exists/);
  });

  it('applyShared is in order and exactly once; a gap or a foreign epoch stops it', async () => {
    await store.createDataset('s');
    const change = (seq: number, epoch = '0000000001-aaaaaaaa'): Change => ({ dataset: 's', epoch, seq, op: 'put', key: `k${seq}`, value: seq, timeMs: 0 });
    assert.deepEqual(await store.applyShared([change(1), change(2)]), { applied: 2, skipped: 0 });
    assert.deepEqual(await store.applyShared([change(2), change(3)]), { applied: 1, skipped: 1 });
    await assert.rejects(store.applyShared([change(5)]), /leaves a gap after seq 3/);
    await assert.rejects(store.applyShared([change(4, '0000000002-bbbbbbbb')]), /epoch/);
    assert.equal(store.dataset('s')!.seq, 3);
  });

  it('nobody but the sequencer changes a shared dataset: no replica apply, no snapshot over it, no epoch renewal', async () => {
    await store.createDataset('s');
    const change: Change = { dataset: 's', epoch: '0000000001-aaaaaaaa', seq: 1, op: 'put', key: 'k', value: 1, timeMs: 0 };
    await assert.rejects(store.apply([change]), /owned by this node/);
    assert.throws(() => store.beginSnapshot('s', 'core', '0000000001-aaaaaaaa', 1), /owned by this node/);
    await assert.rejects(store.renewEpoch('s'), /kept in etcd/);
    await store.createReplica('r', 'eu', '0000000001-cccccccc');
    await assert.rejects(store.applyShared([{ ...change, dataset: 'r', epoch: '0000000001-cccccccc' }]), /not shared here/);
  });

  it('installShared replaces the mirror whole (a new epoch, a member far behind), records and count', async () => {
    await store.createDataset('s');
    await store.write('s', [{ op: 'put', key: 'old', value: 1 }]);
    const info = await store.installShared({ name: 's', owner: 'core', epoch: '0000000009-dddddddd', seq: 40 }, [{ key: 'x', value: 1 }, { key: 'y', value: 2 }]);
    assert.deepEqual([info.epoch, info.seq, info.firstSeq, info.entries, info.shared], ['0000000009-dddddddd', 40, 41, 2, true]);
    assert.equal(store.get('s', 'old'), undefined);
    assert.equal(store.get('s', 'y'), 2);
    assert.deepEqual(store.since('s', 0), { kind: 'snapshot-needed', reason: 'compacted' }, 'a child further back gets a snapshot');
  });

  it('a store opened without its sequencer refuses to write a shared dataset (core.etcd removed from the config)', async () => {
    await store.createDataset('s');
    await store.close();
    const plain = await fx.open({ nodeName: 'core' });
    await assert.rejects(plain.write('s', [{ op: 'put', key: 'k', value: 1 }]), /shared by the core's members and written through etcd/);
    await plain.close();
  });
});
