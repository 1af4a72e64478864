import { strict as assert } from 'node:assert';
import { FailedPreconditionError } from '../../../src/kernel/errors';
import type { Store } from '../../../src/store';
import { copySnapshot, fixture, puts, type Fixture } from './helpers';

describe('store: snapshots', () => {
  let fx: Fixture;
  let owner: Store;
  let replica: Store;

  beforeEach(async () => {
    fx = fixture();
    owner = await fx.open({ nodeName: 'eu', dir: `${fx.dir}/eu` });
    replica = await fx.open({ nodeName: 'berlin', dir: `${fx.dir}/berlin` });
    await owner.createDataset('d');
    await owner.write('d', puts('k', 50));
    await owner.write('d', [{ op: 'delete', key: 'k7' }]);
  });
  afterEach(() => fx.cleanup());

  it('copies entries, epoch and seq to another store, with an empty log', async () => {
    const { source, copied } = await copySnapshot(owner, replica, 'd');
    assert.deepEqual(replica.entries('d'), owner.entries('d'));
    assert.equal(copied.epoch, source.epoch);
    assert.equal(copied.seq, 51);
    assert.equal(copied.firstSeq, 52);
    assert.equal(copied.entries, 49);
    assert.equal(copied.role, 'replica');
    assert.equal(copied.owner, 'eu');
    assert.deepEqual(replica.since('d', 51), { kind: 'changes', changes: [] });
    assert.deepEqual(replica.since('d', 50), { kind: 'snapshot-needed', reason: 'compacted' });
  });

  it('never lets an older snapshot replace a newer replica (older seq, or older epoch)', async () => {
    await copySnapshot(owner, replica, 'd');
    const held = replica.dataset('d')!;
    const older = replica.beginSnapshot('d', 'eu', held.epoch, held.seq - 10);
    await older.add([{ key: 'stale', value: 1 }]);
    await assert.rejects(older.commit(), /older than the replica held/);
    const olderEpoch = replica.beginSnapshot('d', 'eu', '0000000000-00000000', 999);
    await assert.rejects(olderEpoch.commit(), /older than the replica held/);
    assert.deepEqual(replica.dataset('d'), held);
    assert.equal(replica.get('d', 'stale'), undefined);
  });

  it('orders epochs by creation time', async () => {
    const first = owner.dataset('d')!.epoch;
    const renewed = await owner.renewEpoch('d');
    assert.ok(renewed.epoch > first, `${renewed.epoch} sorts after ${first}`);
    assert.equal(renewed.seq, 51, 'renewing keeps the seq and the data');
    assert.deepEqual(owner.get('d', 'k8'), { n: 8 });
    assert.ok((await owner.renewEpoch('d')).epoch > renewed.epoch, 'even when the clock has not moved');
  });

  it('reads a snapshot consistent with its seq while writes continue', async () => {
    const reader = owner.readSnapshot('d', { batchSize: 10 });
    await owner.write('d', [{ op: 'put', key: 'late', value: 1 }, { op: 'delete', key: 'k0' }]);
    const batches = [...reader.batches];
    assert.deepEqual(batches.map((b) => b.length), [10, 10, 10, 10, 9]);
    const keys = batches.flat().map((e) => e.key);
    assert.equal(reader.info.seq, 51);
    assert.ok(keys.includes('k0') && !keys.includes('late'));
    reader.close(); // already released; must be harmless
  });

  it('keeps a half-built snapshot invisible and the old data after abort', async () => {
    await copySnapshot(owner, replica, 'd');
    const before = replica.entries('d');
    const info = replica.dataset('d');
    const builder = replica.beginSnapshot('d', 'eu', 'epoch-2', 500);
    await builder.add([{ key: 'only', value: 'new' }]);
    assert.deepEqual(replica.entries('d'), before);
    assert.deepEqual(replica.dataset('d'), info);
    await builder.abort();
    await builder.abort();
    assert.deepEqual(replica.entries('d'), before);
    await assert.rejects(async () => builder.commit(), FailedPreconditionError);
  });

  it('keeps the old data when the process dies mid-build, and cleans the leftover on open', async () => {
    await copySnapshot(owner, replica, 'd');
    const before = replica.entries('d');
    const builder = replica.beginSnapshot('d', 'eu', 'epoch-2', 500);
    await builder.add(puts('staged', 20).map((m) => ({ key: m.key, value: m.value })));
    await replica.close(); // the staged generation is on disk, never committed
    const reopened = await fx.open({ nodeName: 'berlin', dir: `${fx.dir}/berlin` });
    assert.deepEqual(reopened.entries('d'), before);
    assert.equal(reopened.dataset('d')?.seq, 51);
    // the leftover is unusable and a fresh build works
    const { copied } = await copySnapshot(owner, reopened, 'd');
    assert.equal(copied.entries, 49);
  });

  it('replaces a replica completely with a snapshot of a new epoch', async () => {
    const first = await copySnapshot(owner, replica, 'd');
    await owner.dropDataset('d');
    fx.clock.advance(1000); // epochs order by creation time: the rebuilt owner's is newer
    const reborn = await owner.createDataset('d');
    await owner.write('d', [{ op: 'put', key: 'k1', value: 'again' }, { op: 'put', key: 'fresh', value: true }]);
    const cursor = replica.cursor('d');
    assert.deepEqual(owner.since('d', cursor?.seq ?? 0, { epoch: cursor?.epoch }), {
      kind: 'snapshot-needed',
      reason: 'epoch',
    });
    const { copied } = await copySnapshot(owner, replica, 'd');
    assert.notEqual(copied.epoch, first.copied.epoch);
    assert.equal(copied.epoch, reborn.epoch);
    assert.equal(copied.seq, 2);
    assert.deepEqual(replica.entries('d'), [
      { key: 'fresh', value: true },
      { key: 'k1', value: 'again' },
    ]);
    assert.equal(replica.get('d', 'k2'), undefined);
  });

  it('ends a reader still open when its store closes', async () => {
    const reader = owner.readSnapshot('d', { batchSize: 10 });
    const batches = reader.batches[Symbol.iterator]();
    assert.equal(batches.next().value?.length, 10);
    await owner.close();
    assert.throws(() => batches.next(), FailedPreconditionError);
  });

  it('refuses to replace an owned dataset', () => {
    assert.throws(() => owner.beginSnapshot('d', 'eu', 'x', 1), FailedPreconditionError);
  });
});
