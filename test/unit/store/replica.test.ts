import { strict as assert } from 'node:assert';
import { FailedPreconditionError, NotFoundError } from '../../../src/kernel/errors';
import type { Change, Store } from '../../../src/store';
import { fixture, puts, type Fixture } from './helpers';

describe('store: replicas, cursors and apply', () => {
  let fx: Fixture;
  let owner: Store;
  let replica: Store;
  let changes: Change[];

  beforeEach(async () => {
    fx = fixture();
    owner = await fx.open({ nodeName: 'core', dir: `${fx.dir}/core` });
    replica = await fx.open({ nodeName: 'eu', dir: `${fx.dir}/eu` });
    const { epoch } = await owner.createDataset('zone:core');
    changes = [...(await owner.write('zone:core', puts('k', 5))), ...(await owner.write('zone:core', [{ op: 'delete', key: 'k2' }]))];
    await replica.createReplica('zone:core', 'core', epoch);
  });
  afterEach(() => fx.cleanup());

  it('applies in order and reports the cursor', async () => {
    assert.deepEqual(await replica.apply(changes), { applied: 6, skipped: 0 });
    assert.deepEqual(replica.entries('zone:core'), owner.entries('zone:core'));
    const info = replica.dataset('zone:core');
    assert.equal(info?.role, 'replica');
    assert.equal(info?.owner, 'core');
    assert.equal(info?.entries, 4);
    assert.deepEqual(replica.cursors(), [{ dataset: 'zone:core', epoch: changes[0].epoch, seq: 6 }]);
    assert.deepEqual(owner.cursors(), [], 'owned datasets have no replica cursor');
    assert.deepEqual(owner.cursor('zone:core'), { dataset: 'zone:core', epoch: changes[0].epoch, seq: 6 });
  });

  it('is idempotent: re-applied changes are skipped', async () => {
    assert.deepEqual(await replica.apply(changes.slice(0, 4)), { applied: 4, skipped: 0 });
    assert.deepEqual(await replica.apply(changes), { applied: 2, skipped: 4 });
    assert.deepEqual(await replica.apply(changes), { applied: 0, skipped: 6 });
    assert.equal(replica.dataset('zone:core')?.seq, 6);
    assert.deepEqual(replica.entries('zone:core'), owner.entries('zone:core'));
    const log = replica.since('zone:core', 0);
    assert.equal(log.kind === 'changes' && log.changes.length, 6, 'no duplicates in the log');
  });

  it('refuses a gap and applies nothing from it on', async () => {
    await assert.rejects(replica.apply([changes[0], changes[2], changes[3]]), (err: Error) => {
      assert.ok(err instanceof FailedPreconditionError);
      assert.match(err.message, /gap after seq 1/);
      return true;
    });
    assert.equal(replica.dataset('zone:core')?.seq, 1, 'the change before the gap is applied');
    assert.equal(replica.get('zone:core', 'k2'), undefined);
  });

  it('refuses a change of another epoch', async () => {
    const foreign = { ...changes[0], epoch: 'another-epoch' };
    await assert.rejects(replica.apply([foreign]), /epoch another-epoch/);
    await assert.rejects(replica.apply([foreign]), FailedPreconditionError);
    assert.equal(replica.dataset('zone:core')?.seq, 0);
  });

  it('refuses apply on an owned dataset, for a dataset not held, and writes on a replica', async () => {
    await assert.rejects(owner.apply(changes), FailedPreconditionError);
    await assert.rejects(replica.apply([{ ...changes[0], dataset: 'zone:other' }]), NotFoundError);
    await assert.rejects(replica.write('zone:core', puts('x', 1)), (err: Error) => {
      assert.ok(err instanceof FailedPreconditionError);
      assert.match(err.message, /owned by core/);
      return true;
    });
  });

  it('re-serves its replica to a child with the owner seqs', async () => {
    await replica.apply(changes);
    const site = await fx.open({ nodeName: 'berlin', dir: `${fx.dir}/berlin` });
    await site.createReplica('zone:core', 'core', changes[0].epoch);
    const fromRegional = replica.since('zone:core', 0, { epoch: changes[0].epoch });
    assert.deepEqual(fromRegional, { kind: 'changes', changes });
    assert.ok(fromRegional.kind === 'changes');
    await site.apply(fromRegional.changes.slice(0, 3));
    const rest = replica.since('zone:core', site.cursor('zone:core')?.seq ?? 0);
    assert.deepEqual(rest.kind === 'changes' && rest.changes.map((c) => c.seq), [4, 5, 6]);
    assert.ok(rest.kind === 'changes');
    await site.apply(rest.changes);
    assert.deepEqual(site.entries('zone:core'), owner.entries('zone:core'));
  });

  it('continues applying live changes after a snapshot', async () => {
    const reader = owner.readSnapshot('zone:core');
    const builder = replica.beginSnapshot('zone:core', 'core', reader.info.epoch, reader.info.seq);
    for (const batch of reader.batches) await builder.add(batch);
    await builder.commit();
    const live = await owner.write('zone:core', [{ op: 'put', key: 'live', value: 1 }]);
    assert.deepEqual(await replica.apply([...changes, ...live]), { applied: 1, skipped: 6 });
    assert.deepEqual(replica.entries('zone:core'), owner.entries('zone:core'));
  });
});
