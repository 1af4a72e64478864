// The node a client called applies the owner's changes that come back with
// a forwarded write's answer from its parent (read-your-writes without
// waiting for replication), and only when they are safe to apply: from the
// parent, for a replica of that owner and epoch, following on from it, and
// never the directory's (whose changes are filtered on the way down).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SystemClock } from '../../../src/kernel/clock';
import { toWireChanges } from '../../../src/federation/link/link-codec';
import type { LinkSession } from '../../../src/federation/link/link-session';
import { WriteRouter, type Routes } from '../../../src/federation/writes/write-router';
import type { WriteResult } from '../../../src/federation/grpc/generated/strata/v1/WriteResult';
import { Store, type Change } from '../../../src/store';

const clock = new SystemClock();

describe('WriteRouter: the owner\'s changes in a forwarded write\'s answer', () => {
  let dir: string;
  let owner: Store;
  let site: Store;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-router-'));
    owner = await Store.open({ dir: path.join(dir, 'core'), nodeName: 'core', clock });
    site = await Store.open({ dir: path.join(dir, 'berlin'), nodeName: 'berlin', clock });
  });
  afterEach(async () => {
    await Promise.all([owner.close(), site.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** A parent (or child) link whose far end is `owner`'s store: it writes there and answers as the owner would. */
  function linkTo(dataset: string, share = true): { session: LinkSession; sent: number } {
    const link = { sent: 0, session: undefined as unknown as LinkSession };
    link.session = {
      peerLabel: 'eu',
      request: async (): Promise<WriteResult> => {
        link.sent++;
        const changes: Change[] = await owner.write(dataset, [{ op: 'put', key: `k${link.sent}`, value: link.sent }]);
        return { epoch: changes[0]!.epoch, seq: changes[changes.length - 1]!.seq, owner: 'core', ...(share ? { changes: toWireChanges(changes) } : {}) };
      },
    } as unknown as LinkSession;
    return link;
  }

  function router(link: LinkSession, via: 'parent' | 'child'): WriteRouter {
    const routes: Routes = {
      self: 'berlin',
      isCore: false,
      childToward: () => (via === 'child' ? link : undefined),
      isBelow: () => via === 'child',
      parent: () => (via === 'parent' ? { name: 'eu', session: link } : undefined),
      parentDownText: () => '',
    };
    return new WriteRouter(site, routes, clock, async () => assert.fail('not the owner'));
  }

  async function replicaOf(dataset: string): Promise<void> {
    const info = await owner.createDataset(dataset);
    await site.createReplica(dataset, 'core', info.epoch);
  }

  it('applies them when they come from the parent and follow on from the replica: the write is visible at once', async () => {
    await replicaOf('settings');
    const link = linkTo('settings');
    const outcome = await router(link.session, 'parent').writeVisible('settings', [{ op: 'put', key: 'x', value: 1 }], 2000);
    assert.equal(outcome.seq, 1);
    assert.equal(site.dataset('settings')!.seq, 1, 'applied from the answer, no replication ran');
    assert.equal(site.get('settings', 'k1'), 1);
  });

  it('waits for replication instead when the answer comes from a child, or for the directory, or after a gap', async () => {
    await replicaOf('settings');
    const fromChild = router(linkTo('settings').session, 'child');
    await assert.rejects(fromChild.writeVisible('settings', [{ op: 'put', key: 'x', value: 1 }], 300), /has not reached berlin within 300 ms/);
    assert.equal(site.dataset('settings')!.seq, 0);

    await replicaOf('dir:dc=edge,dc=example');
    const directory = router(linkTo('dir:dc=edge,dc=example').session, 'parent');
    await assert.rejects(directory.writeVisible('dir:dc=edge,dc=example', [{ op: 'put', key: 'x', value: 1 }], 300), /has not reached berlin/);
    assert.equal(site.dataset('dir:dc=edge,dc=example')!.seq, 0);

    await owner.write('settings', [{ op: 'put', key: 'earlier', value: 0 }]); // seq 2 on top of seq 1: the replica (at 0) has a gap
    await assert.rejects(router(linkTo('settings').session, 'parent').writeVisible('settings', [{ op: 'put', key: 'y', value: 2 }], 300), /has not reached berlin/);
    assert.equal(site.dataset('settings')!.seq, 0, 'nothing applied across a gap');
  });

  it('at the owner, a write is visible when it returns even if the epoch is renewed in the same transaction batch', async () => {
    await owner.createDataset('settings');
    const routes: Routes = { self: 'core', isCore: true, childToward: () => undefined, isBelow: () => false, parent: () => undefined, parentDownText: () => '' };
    const atOwner = new WriteRouter(owner, routes, clock, async () => assert.fail('not forwarded'));
    // A child's cursor made the owner renew its epoch (replication-out.ts) while the client's write was committing.
    const writing = atOwner.writeVisible('settings', [{ op: 'put', key: 'fresh', value: 'start' }], 300);
    const renewing = owner.renewEpoch('settings');
    const [outcome, renewed] = await Promise.all([writing, renewing]);
    assert.equal(outcome.seq, 1);
    assert.equal(owner.get('settings', 'fresh'), 'start');
    assert.equal(owner.dataset('settings')!.epoch, renewed.epoch);
  });
});
