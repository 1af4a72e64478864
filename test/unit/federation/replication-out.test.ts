// The owner's side of replication must never take its own data for a
// replica's: a snapshot it sends can hold a commit a moment before the
// owner's in-memory dataset info does (lmdb makes a commit visible before
// this process hears it committed). Comparing the two made the owner think a
// child was ahead of it and renew the epoch under a client's write in flight
// (spine test 5 under load: "written at its owner core (seq 1) but has not
// reached core").

import assert from 'node:assert/strict';
import { SystemClock } from '../../../src/kernel/clock';
import { silentLogger } from '../../../src/kernel/log';
import { Outbound } from '../../../src/federation/link/replication-out';
import type { LinkMessage } from '../../../src/federation/link/link-stream';
import { fixture, puts, type Fixture } from '../store/helpers';
import { Store } from '../../../src/store';

describe('replication out: the owner never renews its epoch on its own commits', () => {
  let fx: Fixture;

  beforeEach(() => (fx = fixture()));
  afterEach(() => fx.cleanup());

  it('sending snapshots while writes commit keeps the epoch, and the peer gets every change', async () => {
    const store = await Store.open({ dir: `${fx.dir}/core`, nodeName: 'core', clock: new SystemClock() });
    try {
      const { epoch } = await store.createDataset('settings');
      let snapshots = 0;
      let lastSeq = 0;
      const outbound = new Outbound(store, async (message: LinkMessage) => {
        if (message.snapshotBegin) {
          snapshots++;
          lastSeq = Number(message.snapshotBegin.seq);
        }
        if (message.changes) lastSeq = Number(message.changes.changes!.at(-1)!.seq);
        // A send into the link's buffer resolves at once (small messages)
      }, () => true, silentLogger());
      // A peer that keeps asking for snapshots (as children reconnecting over and over do) while a client writes.
      let writing = true;
      const resync = (): void => {
        outbound.resync('settings');
        if (writing) setImmediate(resync);
      };
      setImmediate(resync);
      for (let i = 0; i < 60; i++) {
        await store.write('settings', puts(`k${i}-`, 1));
        outbound.kick(['settings']);
      }
      writing = false;
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(snapshots > 10, `${snapshots} snapshots sent`);
      assert.equal(store.dataset('settings')!.epoch, epoch, 'the epoch was renewed by the owner\'s own commits');
      outbound.kick(['settings']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(lastSeq, 60, 'the peer got every change');
      outbound.close();
    } finally {
      await store.close();
    }
  });
});
