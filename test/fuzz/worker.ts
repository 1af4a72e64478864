// One fuzz target in its own process (forked by run.ts with a small heap):
// feeds the target its seeds, then mutants of its pool, for a fixed number of
// iterations from a seeded PRNG, and sends back counts and findings. Before
// each iteration it writes the iteration number and input to a state file,
// so that when this process hangs or dies the runner still knows the input.

import { closeSync, openSync, writeSync } from 'node:fs';
import { Mutator } from './mutate';
import { hashString, Prng } from './prng';
import { errorKey, errorSignature, isTypedError, type Outcome, type Target } from './target';
import { TARGETS } from './targets';

export interface Finding {
  kind: 'error' | 'slow' | 'heap' | 'uncaught' | 'hang' | 'crash' | 'budget';
  signature: string;
  count: number;
  iteration: number;
  inputHex: string;
  /** For an error: its stack, for the report. */
  detail?: string;
}

export interface TargetResult {
  target: string;
  entry: string;
  iterations: number;
  accepted: number;
  rejected: number;
  typed: number;
  seeds: number;
  seedsAccepted: number;
  slowestMs: number;
  heapPeakMb: number;
  findings: Finding[];
  elapsedMs: number;
}

export interface WorkerSettings {
  iterations: number;
  seed: number;
  stateFile: string;
  slowMs: number;
  heapLimitMb: number;
}

const POOL_LIMIT = 512;
const HEAP_CHECK_EVERY = 256;
const PROGRESS_EVERY = 1000;
/** Inputs in findings are cut to this many bytes (hex doubles it): every target's maxBytes fits. */
const MAX_REPORTED_BYTES = 65_536;

export function hex(input: Buffer): string {
  return input.subarray(0, MAX_REPORTED_BYTES).toString('hex') + (input.length > MAX_REPORTED_BYTES ? `…(${input.length} bytes)` : '');
}

export function makeTarget(name: string): Target {
  const make = TARGETS[name];
  if (!make) throw new Error(`unknown fuzz target ${name}; known: ${Object.keys(TARGETS).join(', ')}`);
  return make();
}

class Findings {
  readonly bySignature = new Map<string, Finding>();

  /** `key` groups findings (default: the signature). */
  add(kind: Finding['kind'], signature: string, iteration: number, input: Buffer, detail?: string, key = signature): void {
    key = `${kind} ${key}`;
    const found = this.bySignature.get(key);
    if (found) found.count++;
    else this.bySignature.set(key, { kind, signature, count: 1, iteration, inputHex: hex(input), detail });
  }
}

/** Runs the target `settings.iterations` times; the pool starts as the seeds and takes accepted mutants. */
export async function fuzzTarget(name: string, settings: WorkerSettings): Promise<TargetResult> {
  const started = performance.now();
  const target = makeTarget(name);
  const seeds = await target.seeds();
  const rng = new Prng((settings.seed ^ hashString(name)) >>> 0);
  const mutator = new Mutator({ dictionary: target.dictionary, lengthFields: target.lengthFields, maxBytes: target.maxBytes ?? 16 * 1024 });
  const pool = [...seeds];
  const findings = new Findings();
  const result: TargetResult = { target: name, entry: target.entry, iterations: 0, accepted: 0, rejected: 0, typed: 0, seeds: seeds.length, seedsAccepted: 0, slowestMs: 0, heapPeakMb: 0, findings: [], elapsedMs: 0 };
  const state = openSync(settings.stateFile, 'w');
  const header = Buffer.alloc(8);
  let current: { iteration: number; input: Buffer } = { iteration: -1, input: Buffer.alloc(0) };
  const onUncaught = (err: unknown): void => findings.add('uncaught', errorSignature(err), current.iteration, current.input, err instanceof Error ? err.stack : undefined, errorKey(err));
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  try {
    for (let i = 0; i < settings.iterations; i++) {
      const input = i < seeds.length ? seeds[i]! : mutator.mutate(rng, rng.pick(pool), rng.pick(pool));
      current = { iteration: i, input };
      header.writeUInt32BE(i, 0);
      header.writeUInt32BE(input.length, 4);
      writeSync(state, Buffer.concat([header, input]), 0, 8 + input.length, 0);
      const { outcome, ms, error } = await runOnce(target, input);
      if (outcome === 'finding') findings.add('error', errorSignature(error), i, input, error instanceof Error ? error.stack : String(error), errorKey(error));
      if (ms > result.slowestMs) result.slowestMs = ms;
      // A slow iteration counts only if the same input is slow again (not a GC pause or a busy machine).
      if (ms > settings.slowMs && i >= seeds.length) {
        const again = (await runOnce(target, input)).ms;
        if (again > settings.slowMs) findings.add('slow', `an input took more than ${settings.slowMs} ms, twice`, i, input, `${ms.toFixed(0)} ms, then ${again.toFixed(0)} ms`);
      }
      result.iterations++;
      if (outcome === 'accepted') result.accepted++;
      else if (outcome === 'rejected') result.rejected++;
      else if (outcome === 'typed') result.typed++;
      if (i < seeds.length && outcome === 'accepted') result.seedsAccepted++;
      if (i >= seeds.length && outcome === 'accepted' && rng.chance(0.05)) {
        if (pool.length < POOL_LIMIT) pool.push(input);
        else pool[seeds.length + rng.below(POOL_LIMIT - seeds.length)] = input;
      }
      if (i % HEAP_CHECK_EVERY === 0 && !checkHeap(settings.heapLimitMb, result, findings, i, input)) break;
      if (i % PROGRESS_EVERY === 0) report('progress', result, findings, started);
    }
  } finally {
    closeSync(state);
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  }
  checkHeap(settings.heapLimitMb, result, findings, current.iteration, current.input);
  result.findings = [...findings.bySignature.values()];
  result.elapsedMs = performance.now() - started;
  return result;
}

/** Counts so far to the runner, which reports them if this process then dies. */
function report(kind: 'progress', result: TargetResult, findings: Findings, started: number): void {
  if (process.send) process.send({ kind, result: { ...result, findings: [...findings.bySignature.values()], elapsedMs: performance.now() - started } });
}

/** One call of the target: its outcome ('typed' for a typed error, 'finding' for any other), how long it took, and the error if a finding. */
async function runOnce(target: Target, input: Buffer): Promise<{ outcome: Outcome | 'typed' | 'finding'; ms: number; error?: unknown }> {
  const t0 = performance.now();
  try {
    const ran = target.run(input);
    const outcome = typeof ran === 'string' ? ran : await ran;
    return { outcome, ms: performance.now() - t0 };
  } catch (err) {
    const ms = performance.now() - t0;
    return isTypedError(err) ? { outcome: 'typed', ms } : { outcome: 'finding', ms, error: err };
  }
}

/** False (and a finding) when the heap stays above the limit after a full collection. */
function checkHeap(limitMb: number, result: TargetResult, findings: Findings, iteration: number, input: Buffer): boolean {
  let usedMb = process.memoryUsage().heapUsed / 2 ** 20;
  if (usedMb > limitMb && typeof global.gc === 'function') {
    global.gc();
    usedMb = process.memoryUsage().heapUsed / 2 ** 20;
  }
  result.heapPeakMb = Math.max(result.heapPeakMb, usedMb);
  if (usedMb <= limitMb) return true;
  findings.add('heap', `heap used ${usedMb.toFixed(0)} MB after GC, over the ${limitMb} MB limit`, iteration, input);
  return false;
}

/** Runs one input through a target, for reproducing a finding: the outcome, or the error with its stack. */
export async function replay(name: string, input: Buffer): Promise<string> {
  const target = makeTarget(name);
  try {
    const ran = target.run(input);
    return `outcome: ${typeof ran === 'string' ? ran : await ran}`;
  } catch (err) {
    return `${isTypedError(err) ? 'typed error' : 'FINDING (not a typed error)'}: ${err instanceof Error ? err.stack : String(err)}`;
  }
}

if (require.main === module) {
  const name = process.argv[2]!;
  const settings = JSON.parse(process.env.FUZZ_WORKER_SETTINGS ?? '{}') as WorkerSettings;
  fuzzTarget(name, settings).then(
    (result) => process.send!({ kind: 'result', result }, () => process.exit(0)),
    (err: unknown) => {
      process.stderr.write(`fuzz worker for ${name} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(3);
    },
  );
}
