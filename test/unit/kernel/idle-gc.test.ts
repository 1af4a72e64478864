import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { FakeClock } from '../../../src/kernel/clock';
import { IDLE_GC_CHECK_MS, IDLE_GC_GROWTH_BYTES, IdleCollector } from '../../../src/kernel/idle-gc';

const MB = 1024 * 1024;

function harness(): { clock: FakeClock; collector: IdleCollector; state: { used: number; busy: number; live: number; collected: number } } {
  const clock = new FakeClock();
  const state = { used: 20 * MB, busy: 0.01, live: 20 * MB, collected: 0 };
  const collector = new IdleCollector(clock, {
    heapUsed: () => state.used,
    utilisation: () => state.busy,
    collect: () => {
      state.collected++;
      state.used = state.live;
    },
  }).start();
  return { clock, collector, state };
}

describe('idle garbage collection', () => {
  it('collects once an idle process has piled up garbage, and not again until it piles up more', () => {
    const { clock, state } = harness();
    state.used += IDLE_GC_GROWTH_BYTES - 1;
    clock.advance(IDLE_GC_CHECK_MS);
    assert.equal(state.collected, 0, 'less than the growth threshold: left to V8');
    state.used += 1;
    clock.advance(IDLE_GC_CHECK_MS);
    assert.equal(state.collected, 1);
    clock.advance(IDLE_GC_CHECK_MS * 3);
    assert.equal(state.collected, 1, 'nothing grew since: no more collections');
    state.used += IDLE_GC_GROWTH_BYTES;
    clock.advance(IDLE_GC_CHECK_MS);
    assert.equal(state.collected, 2);
  });

  it('leaves a busy process to V8, and measures growth from where V8 last collected', () => {
    const { clock, state } = harness();
    state.busy = 0.5;
    state.used += 10 * MB;
    clock.advance(IDLE_GC_CHECK_MS * 4);
    assert.equal(state.collected, 0, 'a busy event loop is never paused for this');
    // V8 collected on its own, down below where we started; growth counts from there.
    state.used = 15 * MB;
    clock.advance(IDLE_GC_CHECK_MS);
    state.busy = 0.01;
    state.used = 15 * MB + IDLE_GC_GROWTH_BYTES;
    clock.advance(IDLE_GC_CHECK_MS);
    assert.equal(state.collected, 1);
  });

  it("reaches V8's collector in a process started without --expose-gc, and frees what it held", () => {
    const script = `
      const { IdleCollector } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/kernel/idle-gc.js'))});
      const { SystemClock } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/kernel/clock.js'))});
      const v8 = require('node:v8');
      const collector = new IdleCollector(new SystemClock());
      let garbage = Array.from({ length: 200000 }, (_, i) => ({ i, s: 'x' + i }));
      garbage = undefined;
      const before = v8.getHeapStatistics().used_heap_size;
      collector.check();
      process.stdout.write(JSON.stringify({ hasGc: typeof globalThis.gc, collections: collector.collections, freedMb: (before - v8.getHeapStatistics().used_heap_size) / 1048576 }));`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { hasGc: string; collections: number; freedMb: number };
    assert.equal(result.hasGc, 'undefined', 'the global scope gets no gc()');
    assert.equal(result.collections, 1);
    assert.ok(result.freedMb > 5, `freed ${result.freedMb.toFixed(1)} MB`);
  });
});
