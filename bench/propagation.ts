// Replication on the demo topology (7 real node processes): write→visible
// latency at all four sites, sustained throughput core→sites against the
// core's own write rate (the reference, same run), catch-up after a
// partition, and re-parenting after a parent is killed; then the same tree
// with a highly available core (3 members on a 3-member etcd cluster) against
// the single-process core of the same run. Prints a table of every run and
// the median. Env: BENCH_RUNS (3), BENCH_PARTITION_S (30), BENCH_SCENARIOS
// (comma list, default all: latency,sustained,partition,reparent,ha).

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster, DEMO_TOPOLOGY } from '../test/support/cluster';
import { hasTool } from '../test/support/debian-tools';
import { fmt, percentile, printTable } from './table';

const SITES = ['berlin', 'paris', 'nyc', 'sfo'];
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PARTITION_S = Number(process.env.BENCH_PARTITION_S ?? 30);
/** BENCH_SCENARIOS=latency,sustained,partition,reparent (default: all). */
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'latency,sustained,partition,reparent,ha').split(',');
/** The demo tree with the core as a group of 3 members on etcd (examples/ha-core.yaml). */
const HA_TOPOLOGY = DEMO_TOPOLOGY.replace('{ name: core, tier: core, portOffset: 0 }', '{ name: core, tier: core, portOffset: 0, members: 3 }');
const ONLY = (name: string): boolean => SCENARIOS.includes(name);

type Row = { metric: string; target: string; values: number[] };

/** Tracks the settings head at some nodes, to wait until all reach a seq. */
class Heads {
  private readonly seqs = new Map<string, number>();
  /** node → seq → the node's clock when it had the seq (same host, so comparable). */
  readonly seenAt = new Map<string, Map<number, number>>();
  private waiters: Array<{ seq: number; nodes: string[]; resolve: (t: number) => void }> = [];
  private readonly cancels: Array<() => void> = [];

  constructor(cluster: Cluster, nodes: string[]) {
    for (const node of nodes) {
      const seen = new Map<number, number>();
      this.seenAt.set(node, seen);
      this.cancels.push(
        cluster.api(node).watchDataset('settings', (head) => {
          for (let seq = (this.seqs.get(node) ?? 0) + 1; seq <= head.seq && seen.size < 100_000; seq++) seen.set(seq, head.seenMs);
          this.update(node, head.seq);
        }),
      );
    }
  }

  reached(seq: number, nodes: string[]): Promise<number> {
    if (nodes.every((n) => (this.seqs.get(n) ?? 0) >= seq)) return Promise.resolve(performance.now());
    return new Promise((resolve) => this.waiters.push({ seq, nodes, resolve }));
  }

  close(): void {
    for (const cancel of this.cancels) cancel();
  }

  private update(node: string, seq: number): void {
    this.seqs.set(node, seq);
    const now = performance.now();
    this.waiters = this.waiters.filter((w) => {
      if (!w.nodes.every((n) => (this.seqs.get(n) ?? 0) >= w.seq)) return true;
      w.resolve(now);
      return false;
    });
  }
}


function median(values: number[]): number {
  return percentile(values, 50);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Latency {
  p50: number;
  p99: number;
  ackP50: number;
  /** p99 of each hop, from the nodes' own clocks: write → visible at core, core → eu, eu → berlin. */
  hops: [number, number, number];
}

async function latency(cluster: Cluster, heads: Heads, perSecond = 100, count = 1000): Promise<Latency> {
  const api = cluster.api('core').keepChannel();
  const visible: Array<Promise<number>> = [];
  const acks: number[] = [];
  const writes = new Map<number, number>();
  const start = performance.now();
  const tag = `lat${perSecond}`;
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / perSecond - performance.now();
    if (due > 0) await sleep(due);
    const t0 = performance.now();
    const wallT0 = Date.now();
    const pending = api.setSetting(`${tag}.${i}`, String(i)).then(async (res) => {
      acks.push(performance.now() - t0);
      writes.set(res.seq, wallT0);
      return (await heads.reached(res.seq, SITES)) - t0;
    });
    visible.push(pending);
  }
  const latencies = await Promise.all(visible);
  api.close();
  const hop = (from: Map<number, number>, to: Map<number, number>): number => {
    const deltas = [...writes.keys()].map((seq) => (to.get(seq) ?? NaN) - (from.get(seq) ?? NaN)).filter(Number.isFinite);
    return percentile(deltas, 99);
  };
  const at = (node: string): Map<number, number> => heads.seenAt.get(node) ?? new Map();
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), ackP50: percentile(acks, 50), hops: [hop(writes, at('core')), hop(at('core'), at('eu')), hop(at('eu'), at('berlin'))] };
}

async function writeBatches(cluster: Cluster, total: number, prefix: string): Promise<number> {
  const api = cluster.api('core').keepChannel();
  let next = 0;
  let lastSeq = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const from = next;
      next += 500;
      const batch = Array.from({ length: Math.min(500, total - from) }, (_, j) => ({ key: `${prefix}.${from + j}`, value: `v${from + j}` }));
      const res = await api.setSettings(batch);
      lastSeq = Math.max(lastSeq, res.seq);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  api.close();
  return lastSeq;
}

async function sustained(cluster: Cluster, heads: Heads): Promise<{ sites: number; core: number }> {
  const total = 50_000;
  const t0 = performance.now();
  const seq = await writeBatches(cluster, total, 'sus');
  const coreDone = performance.now();
  const sitesDone = await heads.reached(seq, SITES);
  return { core: total / ((coreDone - t0) / 1000), sites: total / ((sitesDone - t0) / 1000) };
}

/** Single writes (one change each), `inFlight` at a time: writes/s the core acknowledges. */
async function concurrentWrites(cluster: Cluster, total: number, inFlight: number): Promise<number> {
  const api = cluster.api('core').keepChannel();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < total) {
      const i = next++;
      await api.setSetting(`conc.${i}`, String(i));
    }
  }));
  api.close();
  return total / ((performance.now() - t0) / 1000);
}

/** Latency at 100/s and 1,000/s, sustained batches and 64 single writes in flight, at the core of `topology`. */
async function coreRun(topology: string): Promise<number[]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-bench-'));
  const cluster = await Cluster.start(dataDir, { topology });
  const heads = new Heads(cluster, ['core', 'eu', ...SITES]);
  try {
    const slow = await latency(cluster, heads);
    const fast = await latency(cluster, heads, 1000, 2000);
    const sus = await sustained(cluster, heads);
    const conc = await concurrentWrites(cluster, 5000, 64);
    return [slow.p99, slow.ackP50, fast.p99, sus.core, sus.sites, conc];
  } finally {
    heads.close();
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function partition(cluster: Cluster, heads: Heads): Promise<{ catchUpMs: number; relinkMs: number }> {
  const proxy = cluster.proxies.get('eu')!;
  proxy.cut();
  const cutAt = performance.now();
  await waitFor(async () => !(await cluster.topologyAt('core')).nodes.find((n) => n.name === 'eu')?.connected);
  const seq = await writeBatches(cluster, 10_000, 'part');
  await sleep(Math.max(0, cutAt + PARTITION_S * 1000 - performance.now()));
  proxy.restore();
  const restored = performance.now();
  const relinked = waitFor(async () => Boolean((await cluster.topologyAt('core')).nodes.find((n) => n.name === 'eu')?.connected), 5).then(() => performance.now());
  const caughtUp = await heads.reached(seq, ['eu']);
  return { catchUpMs: caughtUp - restored, relinkMs: (await relinked) - restored };
}

async function reparent(cluster: Cluster): Promise<number> {
  await cluster.kill('us');
  const killed = performance.now();
  await waitFor(async () => {
    const nodes = (await cluster.topologyAt('core')).nodes;
    return ['nyc', 'sfo'].every((s) => {
      const r = nodes.find((n) => n.name === s);
      return Boolean(r?.connected && r.parent === 'core');
    });
  }, 5);
  return performance.now() - killed;
}

async function waitFor(check: () => Promise<boolean>, intervalMs = 20, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (performance.now() > deadline) throw new Error('timed out');
    await sleep(intervalMs);
  }
}

async function oneRun(rows: Row[]): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-bench-'));
  const cluster = await Cluster.start(dataDir, { proxied: ['eu'] });
  const heads = new Heads(cluster, ['core', 'eu', ...SITES]);
  try {
    const none: Latency = { p50: NaN, p99: NaN, ackP50: NaN, hops: [NaN, NaN, NaN] };
    const lat = ONLY('latency') ? await latency(cluster, heads) : none;
    const sus = ONLY('sustained') ? await sustained(cluster, heads) : { sites: NaN, core: NaN };
    const part = ONLY('partition') ? await partition(cluster, heads) : { catchUpMs: NaN, relinkMs: NaN };
    const rep = ONLY('reparent') ? await reparent(cluster) : NaN;
    const values = [lat.p50, lat.p99, lat.ackP50, ...lat.hops, sus.sites, sus.core, sus.sites / sus.core, part.catchUpMs, part.relinkMs, rep];
    values.forEach((v, i) => rows[i]!.values.push(v));
  } finally {
    heads.close();
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function propagation(): Promise<void> {
  const rows: Row[] = [
    { metric: 'write → visible at all 4 sites, p50 (ms), 1,000 writes at 100/s', target: '', values: [] },
    { metric: 'write → visible at all 4 sites, p99 (ms)', target: '< 100', values: [] },
    { metric: '  reference: write acknowledged by the core, p50 (ms)', target: '', values: [] },
    { metric: '  hop p99: write → durable and visible at core (ms)', target: '', values: [] },
    { metric: '  hop p99: core → eu (ms)', target: '', values: [] },
    { metric: '  hop p99: eu → berlin (ms)', target: '', values: [] },
    { metric: 'sustained changes/s, core → all 4 sites (50,000 changes)', target: '≥ 20,000', values: [] },
    { metric: '  reference: changes/s the core alone acknowledges', target: '', values: [] },
    { metric: '  ratio sites / core', target: '', values: [] },
    { metric: `catch-up of 10,000 changes after a ${PARTITION_S} s partition (ms, from link restore)`, target: '< 2,000', values: [] },
    { metric: '  of which: link re-established (ms)', target: '', values: [] },
    { metric: 're-parent nyc+sfo after kill -9 of us (ms)', target: '< 5,000', values: [] },
  ];
  if (['latency', 'sustained', 'partition', 'reparent'].some(ONLY)) {
    for (let run = 1; run <= RUNS; run++) {
      process.stderr.write(`propagation: run ${run}/${RUNS}…\n`);
      await oneRun(rows);
    }
    const header = ['metric', ...Array.from({ length: RUNS }, (_, i) => `run ${i + 1}`), 'median', 'target'];
    const table = rows.map((r) => [r.metric, ...r.values.map(fmt), fmt(median(r.values)), r.target]);
    console.log(`\npropagation — demo topology, 7 node processes on ${os.cpus().length} cores, ${RUNS} runs; eu's uplink passes through this process's TCP proxy (for the partition)\n`);
    printTable(header, table);
  }
  if (ONLY('ha')) await haCore();
}

/** The highly available core against the single-process core, alternated in one run (same machine, same minutes). */
async function haCore(): Promise<void> {
  if (!hasTool('etcd')) {
    console.log('\npropagation, HA core: skipped — etcd is not installed (apt-get install -y etcd-server)');
    return;
  }
  const metrics = [
    ['write → all 4 sites p99 (ms), 100 writes/s', ''],
    ['  write acknowledged by the core p50 (ms), 100 writes/s', ''],
    ['write → all 4 sites p99 (ms), 1,000 writes/s (2,000 writes)', 'HA ≤ 150'],
    ['sustained core changes/s (50,000 in batches of 500)', 'HA ≥ 5,000'],
    ['  the same, visible at all 4 sites (changes/s)', ''],
    ['single writes/s, 64 in flight (5,000 writes)', ''],
  ];
  const single: number[][] = metrics.map(() => []);
  const ha: number[][] = metrics.map(() => []);
  for (let run = 1; run <= RUNS; run++) {
    process.stderr.write(`propagation, HA core: run ${run}/${RUNS}…\n`);
    (await coreRun(DEMO_TOPOLOGY)).forEach((v, i) => single[i]!.push(v));
    (await coreRun(HA_TOPOLOGY)).forEach((v, i) => ha[i]!.push(v));
  }
  console.log(`\npropagation, HA core — the demo tree with a single-process core vs a core of 3 members on a 3-member etcd cluster (all on this machine's ${os.cpus().length} cores), ${RUNS} runs each, alternated; medians\n`);
  printTable(['metric', 'single core', 'HA core (3 + etcd ×3)', 'ratio HA / single', 'target'], metrics.map(([metric, target], i) => {
    const s = median(single[i]!);
    const h = median(ha[i]!);
    return [metric!, fmt(s), fmt(h), (h / s).toFixed(2), target!];
  }));
}
