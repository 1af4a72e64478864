import { strict as assert } from 'node:assert';
import type { Indexer, Store } from '../../../src/store';
import { copySnapshot, fixture, type Fixture } from './helpers';

/** Indexes `tag` values of records in datasets starting with 'x:' as 'tag=<value>'. */
function tagIndexer(version = 'v1', attr = 'tag'): Indexer {
  return {
    covers: (dataset) => dataset.startsWith('x:'),
    terms: (_key, value) => ((value as Record<string, string[]>)[attr] ?? []).map((v) => `${attr}=${v}`),
    version,
  };
}

const put = (key: string, tags: string[], attr = 'tag') => ({ op: 'put' as const, key, value: { [attr]: tags } });

describe('store: secondary indexes', () => {
  let fx: Fixture;
  let owner: Store;

  beforeEach(async () => {
    fx = fixture();
    owner = await fx.open({ nodeName: 'core', dir: `${fx.dir}/core`, indexer: tagIndexer() });
    await owner.createDataset('x:a');
  });
  afterEach(() => fx.cleanup());

  it('finds records by term and term prefix, kept in step with puts, overwrites and deletes', async () => {
    await owner.write('x:a', [put('k1', ['red', 'blue']), put('k2', ['red']), put('k3', ['green'])]);
    assert.deepEqual(owner.lookup('x:a', { term: 'tag=red' }), ['k1', 'k2']);
    assert.deepEqual(owner.lookup('x:a', { term: 're' }), [], 'an exact lookup does not match prefixes');
    assert.deepEqual(owner.lookup('x:a', { prefix: 'tag=' }).sort(), ['k1', 'k1', 'k2', 'k3'].sort());
    assert.deepEqual(owner.lookup('x:a', { prefix: 'tag=gr' }), ['k3']);
    await owner.write('x:a', [put('k1', ['blue']), { op: 'delete', key: 'k2' }]);
    assert.deepEqual(owner.lookup('x:a', { term: 'tag=red' }), []);
    assert.deepEqual(owner.lookup('x:a', { term: 'tag=blue' }), ['k1']);
  });

  it('leaves uncovered datasets unindexed, and a failed write leaves no rows', async () => {
    await owner.createDataset('y');
    await owner.write('y', [put('k', ['red'])]);
    assert.deepEqual(owner.lookup('y', { prefix: '' }), []);
    await assert.rejects(owner.write('x:a', [put('k9', ['red']), { op: 'put', key: 'k9', value: 1, expect: { exists: true } }]));
    assert.deepEqual(owner.lookup('x:a', { term: 'tag=red' }), []);
  });

  it('keeps long terms and long keys findable (terms cut, keys as digests)', async () => {
    const long = 'v'.repeat(2000);
    const longKey = `k${'é'.repeat(800)}`;
    await owner.write('x:a', [put(longKey, [long]), put('short', [`${long}x`])]);
    assert.deepEqual(owner.lookup('x:a', { term: `tag=${long}` }).sort(), [longKey, 'short'].sort(), 'a cut term returns candidates, never fewer');
    await owner.write('x:a', [{ op: 'delete', key: longKey }]);
    assert.deepEqual(owner.lookup('x:a', { term: `tag=${long}` }), ['short']);
  });

  it('maintains the rows on a replica as changes apply, and a swapped-in snapshot brings its own', async () => {
    const replica = await fx.open({ nodeName: 'berlin', dir: `${fx.dir}/berlin`, indexer: tagIndexer() });
    await owner.write('x:a', [put('k1', ['red'])]);
    await copySnapshot(owner, replica, 'x:a');
    assert.deepEqual(replica.lookup('x:a', { term: 'tag=red' }), ['k1']);
    const changes = await owner.write('x:a', [put('k2', ['red']), put('k1', ['blue'])]);
    await replica.apply(changes);
    assert.deepEqual(replica.lookup('x:a', { term: 'tag=red' }), ['k2']);
    // A resync replaces the generation: the old rows go with it.
    await owner.write('x:a', [{ op: 'delete', key: 'k2' }]);
    await copySnapshot(owner, replica, 'x:a');
    assert.deepEqual(replica.lookup('x:a', { term: 'tag=red' }), []);
    assert.deepEqual(replica.lookup('x:a', { term: 'tag=blue' }), ['k1']);
  });

  it('rebuilds the rows when the store is opened with another indexer version, and drops them without one', async () => {
    await owner.write('x:a', [put('k1', ['red'], 'tag'), put('k2', ['red'], 'colour')]);
    await owner.close();
    const reopened = await fx.open({ nodeName: 'core', dir: `${fx.dir}/core`, indexer: tagIndexer('v2', 'colour') });
    assert.deepEqual(reopened.lookup('x:a', { term: 'colour=red' }), ['k2']);
    assert.deepEqual(reopened.lookup('x:a', { term: 'tag=red' }), [], 'rows of the old definition are gone');
    await reopened.close();
    const plain = await fx.open({ nodeName: 'core', dir: `${fx.dir}/core` });
    assert.deepEqual(plain.lookup('x:a', { prefix: '' }), []);
  });
});
