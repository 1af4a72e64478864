import { strict as assert } from 'node:assert';
import { AbortedError, FailedPreconditionError, InvalidArgumentError, NotFoundError, AlreadyExistsError } from '../../../src/kernel/errors';
import type { Store } from '../../../src/store';
import { fixture, puts, type Fixture } from './helpers';

describe('store: append and read', () => {
  let fx: Fixture;
  let store: Store;

  beforeEach(async () => {
    fx = fixture();
    store = await fx.open();
  });
  afterEach(() => fx.cleanup());

  it('creates an owned dataset with a random epoch at seq 0', async () => {
    const a = await store.createDataset('zone:a');
    const b = await store.createDataset('zone:b', 'core');
    assert.equal(a.role, 'owner');
    assert.equal(a.owner, 'berlin');
    assert.equal(b.owner, 'core');
    assert.equal(a.seq, 0);
    assert.equal(a.firstSeq, 1);
    assert.notEqual(a.epoch, b.epoch);
    await assert.rejects(store.createDataset('zone:a'), AlreadyExistsError);
    assert.deepEqual((await store.ensureDataset('zone:a')).epoch, a.epoch);
    assert.equal((await store.ensureDataset('zone:c')).role, 'owner');
    assert.deepEqual(store.datasets().map((d) => d.name), ['zone:a', 'zone:b', 'zone:c']);
  });

  it('checks a batch\'s expectations at the owner and applies nothing when one fails', async () => {
    await store.createDataset('d');
    await store.write('d', [{ op: 'put', key: 'a', value: { n: 1 }, expect: { exists: false } }]);
    await assert.rejects(store.write('d', [{ op: 'put', key: 'b', value: 1 }, { op: 'put', key: 'a', value: 2, expect: { exists: false } }]), AlreadyExistsError);
    await assert.rejects(store.write('d', [{ op: 'delete', key: 'zz', expect: { exists: true } }]), NotFoundError);
    await assert.rejects(store.write('d', [{ op: 'put', key: 'a', value: 3, expect: { exists: true, value: { n: 2 } } }]), AbortedError);
    assert.equal(store.get('d', 'b'), undefined, 'the failed batch left nothing behind');
    assert.equal(store.dataset('d')?.seq, 1);
    await store.write('d', [{ op: 'put', key: 'a', value: 3, expect: { exists: true, value: { n: 1 } } }]);
    assert.equal(store.get('d', 'a'), 3);
    await assert.rejects(store.write('d', [{ op: 'put', key: 'a', value: 1, expect: 'yes' as never }]), InvalidArgumentError);
  });

  it('assigns consecutive seqs across writes', async () => {
    await store.createDataset('d');
    const first = await store.write('d', puts('k', 3));
    const second = await store.write('d', [{ op: 'delete', key: 'k0' }]);
    assert.deepEqual(first.map((c) => c.seq), [1, 2, 3]);
    assert.deepEqual(second.map((c) => c.seq), [4]);
    assert.equal(first[0].epoch, store.dataset('d')?.epoch);
    assert.equal(first[0].timeMs, fx.clock.nowMs());
    const info = store.dataset('d');
    assert.equal(info?.seq, 4);
    assert.equal(info?.entries, 2);
  });

  it('get and entries reflect puts and deletes, in key order', async () => {
    await store.createDataset('d');
    await store.write('d', [
      { op: 'put', key: 'b', value: 2 },
      { op: 'put', key: 'a', value: { x: [1, 'y'] } },
      { op: 'put', key: 'c/1', value: 'c1' },
      { op: 'put', key: 'c/2', value: 'c2' },
    ]);
    await store.write('d', [{ op: 'delete', key: 'b' }, { op: 'put', key: 'a', value: 'A' }, { op: 'delete', key: 'nope' }]);
    assert.equal(store.get('d', 'a'), 'A');
    assert.equal(store.get('d', 'b'), undefined);
    assert.deepEqual(store.entries('d').map((e) => e.key), ['a', 'c/1', 'c/2']);
    assert.deepEqual(store.entries('d', { prefix: 'c/' }), [{ key: 'c/1', value: 'c1' }, { key: 'c/2', value: 'c2' }]);
    assert.deepEqual(store.entries('d', { limit: 1 }), [{ key: 'a', value: 'A' }]);
    assert.deepEqual(store.getMany('d', ['c/2', 'b', 'a']), ['c2', undefined, 'A'], 'many keys in one read, in the order asked');
    assert.throws(() => store.getMany('d', ['a', '']), InvalidArgumentError);
    assert.equal(store.dataset('d')?.entries, 3);
  });

  it('reading() reads on one snapshot from its first read on, and a call that reads nothing reads nothing', async () => {
    await store.createDataset('d');
    await store.write('d', [{ op: 'put', key: 'a', value: 1 }, { op: 'put', key: 'b', value: 2 }]);
    assert.deepEqual(store.reading('d', (r) => [r.get('a'), ...r.getMany(['b', 'z']), r.entries().length]), [1, 2, undefined, 2]);
    // A search that finds everything in its caches asks nothing of the store: not even whether the dataset is held.
    assert.equal(store.reading('gone', () => 'cached'), 'cached');
    assert.throws(() => store.reading('gone', (r) => r.get('a')), NotFoundError);
    await store.dropDataset('d');
    assert.throws(() => store.reading('d', (r) => r.entries()), NotFoundError);
  });

  it('since returns the changes after a seq, in order, up to a limit', async () => {
    const { epoch } = await store.createDataset('d');
    await store.write('d', puts('k', 5));
    await store.write('d', [{ op: 'delete', key: 'k1' }]);
    const all = store.since('d', 0);
    assert.equal(all.kind, 'changes');
    assert.deepEqual(all.kind === 'changes' && all.changes.map((c) => c.seq), [1, 2, 3, 4, 5, 6]);
    const tail = store.since('d', 4, { epoch });
    assert.deepEqual(tail, {
      kind: 'changes',
      changes: [
        { dataset: 'd', epoch, seq: 5, op: 'put', key: 'k4', value: { n: 4 }, timeMs: fx.clock.nowMs() },
        { dataset: 'd', epoch, seq: 6, op: 'delete', key: 'k1', timeMs: fx.clock.nowMs() },
      ],
    });
    const limited = store.since('d', 1, { limit: 2 });
    assert.deepEqual(limited.kind === 'changes' && limited.changes.map((c) => c.seq), [2, 3]);
    assert.deepEqual(store.since('d', 6), { kind: 'changes', changes: [] });
    assert.deepEqual(store.since('d', 0, { epoch: 'other' }), { kind: 'snapshot-needed', reason: 'epoch' });
    assert.deepEqual(store.since('nope', 0), { kind: 'snapshot-needed', reason: 'unknown-dataset' });
  });

  it('keeps datasets, records, log and node state across close and reopen', async () => {
    const created = await store.createDataset('d');
    await store.write('d', puts('k', 10));
    await store.write('d', [{ op: 'delete', key: 'k3' }]);
    await store.putState('parent', { name: 'eu', since: 5 });
    await store.close();
    await store.close(); // idempotent
    const again = await fx.open();
    assert.deepEqual(again.dataset('d'), { ...created, seq: 11, entries: 9, updatedMs: fx.clock.nowMs() });
    assert.deepEqual(again.get('d', 'k9'), { n: 9 });
    assert.equal(again.get('d', 'k3'), undefined);
    const log = again.since('d', 0);
    assert.equal(log.kind === 'changes' && log.changes.length, 11);
    assert.deepEqual(again.getState('parent'), { name: 'eu', since: 5 });
    assert.deepEqual((await again.write('d', puts('z', 1)))[0].seq, 12);
  });

  it('refuses unknown datasets, bad mutations and use after close', async () => {
    await store.createDataset('d');
    await assert.rejects(store.write('nope', puts('k', 1)), NotFoundError);
    assert.throws(() => store.get('nope', 'k'), NotFoundError);
    await assert.rejects(store.write('d', [{ op: 'put', key: 'k' }]), InvalidArgumentError);
    await assert.rejects(store.write('d', [{ op: 'upsert' as 'put', key: 'k', value: 1 }]), InvalidArgumentError);
    await assert.rejects(store.write('d', [{ op: 'put', key: '', value: 1 }]), InvalidArgumentError);
    // A long key holding an ordered-binary marker byte used to be stored raw and poison every later read (found by npm run fuzz).
    await assert.rejects(store.write('d', [{ op: 'put', key: `${'x'.repeat(70)}\u0001abc`, value: 1 }]), /must not contain control characters/);
    assert.deepEqual(store.entries('d'), []);
    await assert.rejects(store.write('d', [{ op: 'put', key: 'x'.repeat(5000), value: 1 }]), InvalidArgumentError);
    assert.equal(store.dataset('d')?.seq, 0, 'a refused write assigns no seq');
    await store.close();
    await assert.rejects(store.write('d', puts('k', 1)), FailedPreconditionError);
    assert.throws(() => store.dataset('d'), FailedPreconditionError);
  });

  it('drops a dataset and sweeps its data', async () => {
    await store.createDataset('d');
    await store.write('d', puts('k', 100));
    assert.equal(await store.dropDataset('d'), true);
    assert.equal(await store.dropDataset('d'), false);
    assert.equal(store.dataset('d'), undefined);
    const fresh = await store.createDataset('d');
    assert.equal(fresh.seq, 0);
    assert.deepEqual(store.entries('d'), []);
  });
});
