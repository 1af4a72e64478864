// Shared fixtures for the store tests: a temp dir per test and a store on it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, SystemClock } from '../../../src/kernel/clock';
import { Store, type CompactionPolicy, type Indexer, type Mutation, type Sequencer } from '../../../src/store';

export interface Fixture {
  dir: string;
  clock: FakeClock;
  open(opts?: { nodeName?: string; compaction?: CompactionPolicy; dir?: string; indexer?: Indexer; sequencer?: Sequencer }): Promise<Store>;
  cleanup(): Promise<void>;
}

/** Creates a temp dir and tracks every store opened on it, closing all on cleanup. */
export function fixture(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'strata-store-'));
  const clock = new FakeClock();
  const stores: Store[] = [];
  return {
    dir,
    clock,
    async open(opts = {}) {
      const store = await Store.open({
        dir: opts.dir ?? join(dir, 'db'),
        nodeName: opts.nodeName ?? 'berlin',
        clock,
        compaction: opts.compaction,
        indexer: opts.indexer,
        sequencer: opts.sequencer,
        // STRATA_TEST_STORE_ENGINE=memory runs the store's tests on the in-memory tables (those about disk and crashes then fail by design).
        ...(process.env.STRATA_TEST_STORE_ENGINE === 'memory' ? { engine: 'memory' as const } : {}),
      });
      stores.push(store);
      return store;
    },
    async cleanup() {
      await Promise.all(stores.map((s) => s.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function puts(prefix: string, count: number, start = 0): Mutation[] {
  return Array.from({ length: count }, (_, i) => ({ op: 'put' as const, key: `${prefix}${start + i}`, value: { n: start + i } }));
}

/** Polls check() until it stops throwing or timeoutMs of real time passes. */
export async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const clock = new SystemClock();
  const deadline = clock.nowMs() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (clock.nowMs() > deadline) throw err;
      await clock.sleep(10);
    }
  }
}

/** Copies dataset `name` from one store to another the way a link would: snapshot out, build, swap in. */
export async function copySnapshot(from: Store, to: Store, name: string, batchSize = 7) {
  const reader = from.readSnapshot(name, { batchSize });
  const builder = to.beginSnapshot(name, reader.info.owner, reader.info.epoch, reader.info.seq);
  for (const batch of reader.batches) await builder.add(batch);
  return { source: reader.info, copied: await builder.commit() };
}
