// Origins.descendants(): the owners whose data came up from children. It is
// kept between calls (a core with thousands of sites is asked for every
// dataset a re-parenting child sends), so these check it follows every
// change that can alter the answer: a replica that comes or goes, and an
// origin that is set or changed.

import { strict as assert } from 'node:assert';
import { Origins } from '../../../src/federation/link/origins';
import { fixture, type Fixture } from '../store/helpers';

describe('Origins.descendants', () => {
  let fx: Fixture;
  beforeEach(() => {
    fx = fixture();
  });
  afterEach(() => fx.cleanup());

  it('follows replicas that come and go and origins that change', async () => {
    const store = await fx.open({ nodeName: 'eu' });
    const origins = new Origins(store);
    assert.deepEqual([...origins.descendants()], []);

    await store.createReplica('node.berlin', 'berlin', 'e1');
    // Held but with no origin yet: not known to be below.
    assert.deepEqual([...origins.descendants()], []);
    await origins.set('node.berlin', 'up');
    assert.deepEqual([...origins.descendants()], ['berlin']);

    await store.createReplica('node.core', 'core', 'e2');
    await origins.set('node.core', 'down');
    await store.createReplica('node.paris', 'paris', 'e3');
    await origins.set('node.paris', 'up');
    assert.deepEqual([...origins.descendants()].sort(), ['berlin', 'paris']);

    // The same answer object while nothing changed: computed once, not per call.
    assert.equal(origins.descendants(), origins.descendants());

    await store.dropDataset('node.paris');
    assert.deepEqual([...origins.descendants()], ['berlin']);

    // berlin moved above this node (it re-parented elsewhere and its data now comes down).
    await origins.set('node.berlin', 'down');
    assert.deepEqual([...origins.descendants()], []);

    // An owned dataset is never a descendant's, whatever its origin says.
    await store.createDataset('node.eu');
    await origins.set('node.eu', 'up');
    assert.deepEqual([...origins.descendants()], []);
  });
});
