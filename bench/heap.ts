// What a node process holds on its V8 heap, from outside: a heap snapshot
// (taken after a full garbage collection) written when the process gets
// SIGUSR2 — the bench starts the nodes with --heapsnapshot-signal=SIGUSR2 —
// summed by kind. Compiled code is counted apart: it grows with what the
// process has run (and how warm the JIT is), not with the data it holds.

import { readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import path from 'node:path';

/** Lets child processes started from now on be asked for a heap snapshot with SIGUSR2. */
export function enableHeapSnapshots(): void {
  const flag = '--heapsnapshot-signal=SIGUSR2';
  if (!(process.env.NODE_OPTIONS ?? '').includes(flag)) process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} ${flag}`.trim();
}

export interface HeapSummary {
  /** Every object's own size, compiled code left out (bytes). */
  dataBytes: number;
  codeBytes: number;
}

/** The live heap of process `pid` after a full GC (it must have been started after enableHeapSnapshots). */
export async function heapAfterGc(pid: number, timeoutMs = 60_000): Promise<HeapSummary> {
  const cwd = readlinkSync(`/proc/${pid}/cwd`);
  const before = new Set(readdirSync(cwd).filter((f) => f.endsWith('.heapsnapshot')));
  process.kill(pid, 'SIGUSR2');
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const file = readdirSync(cwd).find((f) => f.endsWith('.heapsnapshot') && !before.has(f) && f.includes(`.${pid}.`));
    if (file) {
      const summary = await readWhenComplete(path.join(cwd, file), deadline);
      if (summary) return summary;
    }
    if (performance.now() > deadline) throw new Error(`no heap snapshot from process ${pid} within ${timeoutMs} ms (started without --heapsnapshot-signal=SIGUSR2?)`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Parses the snapshot once it is whole (it is written in pieces), then removes it. */
async function readWhenComplete(file: string, deadline: number): Promise<HeapSummary | undefined> {
  while (performance.now() < deadline) {
    try {
      const snapshot = JSON.parse(readFileSync(file, 'utf8')) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[] };
      rmSync(file, { force: true });
      const { node_fields: fields, node_types: types } = snapshot.snapshot.meta;
      const width = fields.length;
      const typeAt = fields.indexOf('type');
      const sizeAt = fields.indexOf('self_size');
      const code = types[0].indexOf('code');
      let dataBytes = 0;
      let codeBytes = 0;
      for (let i = 0; i < snapshot.nodes.length; i += width) {
        if (snapshot.nodes[i + typeAt] === code) codeBytes += snapshot.nodes[i + sizeAt]!;
        else dataBytes += snapshot.nodes[i + sizeAt]!;
      }
      return { dataBytes, codeBytes };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250)); // not whole yet
    }
  }
  return undefined;
}
