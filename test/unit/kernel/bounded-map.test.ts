import { strict as assert } from 'node:assert';
import { BoundedMap } from '../../../src/kernel/bounded-map';

describe('kernel: BoundedMap', () => {
  it('holds at most max entries and forgets the oldest first', () => {
    const map = new BoundedMap<string, number>(3);
    for (const [i, key] of ['a', 'b', 'c', 'd', 'e'].entries()) map.set(key, i);
    assert.deepEqual([...map.keys()], ['c', 'd', 'e']);
    map.set('d', 10); // an existing key: replaced in place, nothing forgotten
    assert.deepEqual([...map], [['c', 2], ['d', 10], ['e', 4]]);
  });

  it('counts age from the last insertion: a key deleted and set again is the newest', () => {
    const map = new BoundedMap<string, number>(3);
    map.set('a', 1).set('b', 2).set('c', 3);
    map.delete('a');
    map.set('a', 1);
    map.set('d', 4);
    assert.deepEqual([...map.keys()], ['c', 'a', 'd']);
  });

  it('goes on evicting in order after a clear, and over many more inserts than it holds', () => {
    const map = new BoundedMap<number, number>(100);
    for (let i = 0; i < 150; i++) map.set(i, i);
    map.clear();
    for (let i = 1000; i < 51_000; i++) map.set(i, i);
    assert.equal(map.size, 100);
    assert.deepEqual([...map.keys()], Array.from({ length: 100 }, (_, i) => 50_900 + i));
  });
});
