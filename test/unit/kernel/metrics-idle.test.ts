// An idle node must stay idle (issue 13: ≤ 1 % CPU per idle site): the
// process metrics' event-loop lag histogram samples on a timer, and
// prom-client's default (every 10 ms) woke every node 100 times a second —
// most of an idle site's CPU. Counted in a child process's own context
// switches over 2 s (Linux /proc), not timed.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const METRICS = path.resolve(__dirname, '../../../src/kernel/metrics.js');

function wakeups(pid: number): number {
  return Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

describe('metrics: an idle process is not woken by its own metrics', () => {
  it('process metrics on, idle for 2 s: fewer than 60 wake-ups of the main thread (10 ms sampling made 200)', async function () {
    if (!existsSync('/proc/self/status')) this.skip();
    const script = `const { Metrics } = require(${JSON.stringify(METRICS)}); new Metrics({ node: 't' }, true); process.stdout.write('ready\\n'); setTimeout(() => {}, 60000);`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`the child exited (${code}) before it was ready`)));
      });
      await new Promise((resolve) => setTimeout(resolve, 300)); // past start-up
      const before = wakeups(child.pid!);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const woken = wakeups(child.pid!) - before;
      assert.ok(woken < 60, `the idle process's main thread woke ${woken} times in 2 s`);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
