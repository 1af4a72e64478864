// `npm run fuzz`: every parser target in its own process (small heap,
// wall-clock budget, stall watchdog), then the live-process fuzz; prints a
// table and every finding with the input in hex; exits 1 on any finding.
//
//   FUZZ_ITERATIONS  iterations per parser target (default 20000)
//   FUZZ_SEED        PRNG seed (default 1); the same seed replays the same inputs
//   FUZZ_TARGETS     comma-separated targets to run, "live" for the live fuzz (default: all)
//   FUZZ_LIVE_MS     how long the live fuzz sends (default 20000; 0 skips it)
//   FUZZ_JOBS        targets fuzzed at once (default: CPU count, at most 4)
//   FUZZ_LIVE_TRACE  file to append every live-fuzz input to (JSON lines: time, what, hex)
//
// Reproduce a finding: node dist/test/fuzz/run.js replay <target> <hex>

import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { liveFuzz, type LiveResult } from './live';
import { TARGETS } from './targets';
import { hex, replay, type Finding, type TargetResult, type WorkerSettings } from './worker';

const env = (name: string, fallback: number): number => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}=${value}: expected a non-negative number`);
  return n;
};

const SETTINGS = {
  iterations: env('FUZZ_ITERATIONS', 20_000),
  seed: env('FUZZ_SEED', 1),
  liveMs: env('FUZZ_LIVE_MS', 20_000),
  jobs: Math.max(1, env('FUZZ_JOBS', Math.min(4, os.availableParallelism()))),
  /** --max-old-space-size of each target process, and the heap that counts as a blow-up. */
  heapMb: 256,
  heapLimitMb: 192,
  slowMs: 1000,
  targetBudgetMs: env('FUZZ_TARGET_BUDGET_MS', 120_000),
  stallMs: 10_000,
};

const STATE_DIR = mkdtempSync(path.join(os.tmpdir(), 'strata-fuzz-'));

/** The iteration and input a worker last wrote to its state file. */
function lastInput(stateFile: string): { iteration: number; input: Buffer } | undefined {
  try {
    const bytes = readFileSync(stateFile);
    if (bytes.length < 8) return undefined;
    return { iteration: bytes.readUInt32BE(0), input: bytes.subarray(8, 8 + bytes.readUInt32BE(4)) };
  } catch {
    return undefined;
  }
}

function emptyResult(name: string): TargetResult {
  return { target: name, entry: '', iterations: 0, accepted: 0, rejected: 0, typed: 0, seeds: 0, seedsAccepted: 0, slowestMs: 0, heapPeakMb: 0, findings: [], elapsedMs: 0 };
}

/** The line of a dead worker's stderr that says why (V8's "FATAL ERROR: …", an uncaught error), else its last lines. */
function crashReason(stderr: string): string {
  const lines = stderr.trim().split('\n');
  return lines.find((l) => /FATAL ERROR|^\w*Error\b/.test(l.trim()))?.trim() ?? lines.slice(-3).join(' | ');
}

/** Forks the worker for one target and watches it: no progress for stallMs, or over the budget, is killed and reported. */
function runTarget(name: string): Promise<TargetResult> {
  const stateFile = path.join(STATE_DIR, `${name}.state`);
  const settings: WorkerSettings = { iterations: SETTINGS.iterations, seed: SETTINGS.seed, stateFile, slowMs: SETTINGS.slowMs, heapLimitMb: SETTINGS.heapLimitMb };
  const started = Date.now();
  return new Promise((resolve) => {
    const child = fork(path.join(__dirname, 'worker.js'), [name], {
      execArgv: [`--max-old-space-size=${SETTINGS.heapMb}`, '--expose-gc'],
      env: { ...process.env, FUZZ_WORKER_SETTINGS: JSON.stringify(settings) },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    let result: TargetResult | undefined;
    let killedFor: Finding['kind'] | undefined;
    let lastIteration = -2;
    let lastProgressMs = Date.now();
    let progress: TargetResult | undefined;
    child.on('message', (m: { kind: string; result: TargetResult }) => {
      if (m.kind === 'result') result = m.result;
      if (m.kind === 'progress') progress = m.result;
    });
    const watchdog = setInterval(() => {
      const iteration = lastInput(stateFile)?.iteration ?? -1;
      if (iteration !== lastIteration) {
        lastIteration = iteration;
        lastProgressMs = Date.now();
      }
      if (Date.now() - lastProgressMs > SETTINGS.stallMs) killedFor = 'hang';
      else if (Date.now() - started > SETTINGS.targetBudgetMs) killedFor = 'budget';
      if (killedFor) child.kill('SIGKILL');
    }, 250);
    child.on('exit', (code, signal) => {
      clearInterval(watchdog);
      if (result) return resolve(result);
      const last = lastInput(stateFile);
      // The counts and findings of the last progress report; the iterations since then go unclassified.
      const out = { ...(progress ?? emptyResult(name)), findings: [...(progress?.findings ?? [])] };
      out.iterations = last ? last.iteration : 0;
      out.elapsedMs = Date.now() - started;
      const why =
        killedFor === 'hang' ? `no progress for ${SETTINGS.stallMs} ms (hang) at iteration ${last?.iteration}`
        : killedFor === 'budget' ? `not finished within the ${SETTINGS.targetBudgetMs} ms budget (at iteration ${last?.iteration})`
        : `worker died (code ${code}, signal ${signal}) at iteration ${last?.iteration}: ${crashReason(stderr)}`;
      out.findings.push({ kind: killedFor ?? 'crash', signature: why, count: 1, iteration: last?.iteration ?? -1, inputHex: last ? hex(last.input) : '' });
      resolve(out);
    });
  });
}

async function runTargets(names: string[]): Promise<TargetResult[]> {
  const results = new Map<string, TargetResult>();
  const queue = [...names];
  const lane = async (): Promise<void> => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      const result = await runTarget(name);
      results.set(name, result);
      process.stdout.write(`  ${name}: ${result.iterations} iterations, ${result.findings.length} finding(s), ${(result.elapsedMs / 1000).toFixed(1)} s\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SETTINGS.jobs, names.length) }, lane));
  return names.map((n) => results.get(n)!);
}

function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function report(results: TargetResult[], live: LiveResult | undefined): number {
  let findings = 0;
  if (results.length > 0) {
    console.log(`\nParser targets (seed ${SETTINGS.seed}, ${SETTINGS.iterations} iterations each):\n`);
    console.log(table(
      ['target', 'iterations', 'accepted', 'rejected', 'typed errors', 'findings', 'seeds ok', 'slowest', 'heap', 'time'],
      results.map((r) => [r.target, r.iterations, r.accepted, r.rejected, r.typed, r.findings.reduce((n, f) => n + f.count, 0), `${r.seedsAccepted}/${r.seeds}`, `${r.slowestMs.toFixed(0)} ms`, `${r.heapPeakMb.toFixed(0)} MB`, `${(r.elapsedMs / 1000).toFixed(1)} s`]),
    ));
    for (const r of results) {
      for (const f of r.findings) {
        findings++;
        console.log(`\nFINDING ${r.target} [${f.kind}] ${f.signature}\n  ${f.count}× first at iteration ${f.iteration}${f.detail && f.kind !== 'error' ? ` (${f.detail})` : ''}\n  input (hex): ${f.inputHex}`);
        if (f.kind === 'error' && f.detail) console.log(`  ${f.detail.split('\n').slice(0, 6).join('\n  ')}`);
        console.log(`  reproduce: node dist/test/fuzz/run.js replay ${r.target} ${f.inputHex.length <= 2000 ? f.inputHex : '<hex above>'}`);
      }
    }
  }
  if (live) {
    console.log(`\nLive fuzz (${(SETTINGS.liveMs / 1000).toFixed(0)} s of sending, ${(live.elapsedMs / 1000).toFixed(1)} s in all):\n`);
    console.log(table(['listener', 'sent', 'answered', 'connections'], live.rows.map((r) => [r.listener, r.sent, r.answered, r.connections || '-'])));
    console.log('');
    console.log(table(['check afterwards', 'result', 'detail'], live.checks.map((k) => [k.check, k.ok ? 'ok' : 'FAILED', k.detail])));
    if (live.logErrors.length > 0) {
      console.log('\nError lines in the node log (reported, not judged):');
      for (const e of live.logErrors.slice(0, 10)) console.log(`  ${e.count}× ${e.firstMs !== undefined ? `(first ${(e.firstMs / 1000).toFixed(1)} s after the node started) ` : ''}${e.text}`);
    }
    for (const [what, inputs] of live.lastSent ?? []) {
      console.log(`\nLast inputs sent to ${what} before the node died (hex, one line per message):`);
      for (const input of inputs) console.log(`  ${input.join(' ')}`);
    }
    for (const f of live.findings) {
      findings++;
      console.log(`\nFINDING live: ${f}`);
    }
  }
  console.log(`\nfuzz: ${findings === 0 ? 'no findings' : `${findings} finding(s)`}`);
  return findings;
}

async function main(): Promise<void> {
  if (process.argv[2] === 'replay') {
    const [name, input] = process.argv.slice(3);
    if (!name || input === undefined) throw new Error('usage: run.js replay <target> <hex>');
    console.log(await replay(name, Buffer.from(input, 'hex')));
    return;
  }
  const wanted = process.env.FUZZ_TARGETS ? process.env.FUZZ_TARGETS.split(',').map((s) => s.trim()) : [...Object.keys(TARGETS), 'live'];
  for (const w of wanted) if (w !== 'live' && !TARGETS[w]) throw new Error(`unknown fuzz target ${w}; known: ${Object.keys(TARGETS).join(', ')}, live`);
  const names = Object.keys(TARGETS).filter((n) => wanted.includes(n));
  console.log(`fuzz: ${names.length} parser target(s), ${SETTINGS.jobs} at a time, seed ${SETTINGS.seed}`);
  const results = await runTargets(names);
  let live: LiveResult | undefined;
  if (wanted.includes('live') && SETTINGS.liveMs > 0) {
    console.log(`fuzz: live node for ${SETTINGS.liveMs} ms`);
    live = await liveFuzz(SETTINGS.liveMs, SETTINGS.seed);
  }
  process.exitCode = report(results, live) > 0 ? 1 : 0;
}

main()
  .catch((err: unknown) => {
    console.error(`fuzz: ${err instanceof Error ? err.stack : String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(STATE_DIR, { recursive: true, force: true }));
