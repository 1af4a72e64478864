// The write path (issue 16): operator writes through the gRPC API on one
// kept TLS channel, signed as the CLI signs them, and LDAP modifies at a
// site — sequential and 64 in flight — with each stage's p50/p99 read from
// the nodes' own strata_write_stage_seconds histograms (write-stages.ts).
// Two federations, one after the other in each run:
//   core alone  a core with no children: the write path itself;
//   ceiling     then, with that core idle, the same client against
//               write-ceiling.js: gRPC over mutual TLS and one durable
//               lmdb commit per call, nothing of Strata's — the floor of
//               this machine, so the core's rows read as a ratio to it;
//   demo        the 7-node demo topology: the same writes while every
//               change also replicates to 6 other processes on this
//               machine's cores (what `npm start` runs).
// Env: BENCH_RUNS (3), BENCH_WRITES (sequential writes per scenario, 1000).

import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '../src/federation/client/api-client';
import { WRITE_STAGE_METRIC } from '../src/federation/writes/write-stages';
import { Cluster } from '../test/support/cluster';
import { ADMIN, LdapClient } from '../test/support/ldap-client';
import { freeBasePort } from '../test/support/ports';
import { fmt, percentile, printTable } from './table';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WRITES = Number(process.env.BENCH_WRITES ?? 1000);
const IN_FLIGHT = 64;
const CORE_ALONE = 'nodes:\n  - { name: core, tier: core, portOffset: 0 }\n';
const STAGES = ['authorise', 'commit', 'durable', 'forward', 'visible', 'total'] as const;

type Row = { metric: string; target: string; values: number[] };

/** Cumulative bucket counts of one node's stage histograms: stage → [le seconds, count][]. */
type Buckets = Map<string, Array<[number, number]>>;

async function stageBuckets(cluster: Cluster, node: string): Promise<Buckets> {
  const text = await (await fetch(`http://${cluster.http.get(node)}/metrics`)).text();
  const buckets: Buckets = new Map();
  const pattern = new RegExp(`^${WRITE_STAGE_METRIC}_bucket\\{([^}]*)\\} (\\d+)`);
  for (const line of text.split('\n')) {
    const m = pattern.exec(line);
    if (!m) continue;
    const stage = /stage="([^"]+)"/.exec(m[1]!)?.[1];
    const le = /le="([^"]+)"/.exec(m[1]!)?.[1];
    if (!stage || !le) continue;
    const list = buckets.get(stage) ?? [];
    list.push([le === '+Inf' ? Infinity : Number(le), Number(m[2])]);
    buckets.set(stage, list);
  }
  return buckets;
}

/** The p-th percentile (ms) of what a stage observed between two scrapes, interpolated within its bucket as Prometheus does. */
function stageQuantile(before: Buckets, after: Buckets, stage: string, p: number): number {
  const now = after.get(stage) ?? [];
  const then = new Map(before.get(stage) ?? []);
  const counts = now.map(([le, n]) => [le, n - (then.get(le) ?? 0)] as [number, number]);
  const total = counts[counts.length - 1]?.[1] ?? 0;
  if (total === 0) return NaN;
  const rank = (p / 100) * total;
  let lower = 0;
  let below = 0;
  for (const [le, n] of counts) {
    if (n >= rank) {
      if (le === Infinity) return lower * 1000;
      return (lower + ((le - lower) * (rank - below)) / Math.max(1, n - below)) * 1000;
    }
    lower = le;
    below = n;
  }
  return NaN;
}

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks per second. */
const CLOCK_TICKS = 100;

/** CPU time (ms) a process has used, user + system, from /proc (Linux). */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

interface Measured {
  /** CPU ms per write: this process (the client), and the serving processes together (every node, or the ceiling). */
  clientCpuMs: number;
  nodesCpuMs: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** stage → [p50, p99] (ms), from the named nodes' histograms. */
  stages: Map<string, [number, number]>;
}

/**
 * The processes serving the writes, and when they are Strata nodes, the nodes whose stage
 * histograms to read ([the node called, the owner if another]); the ceiling has none.
 */
interface Served {
  pids: number[];
  stages?: { cluster: Cluster; nodes: string[] };
}

const servedBy = (cluster: Cluster, nodes: string[]): Served => ({ pids: [...cluster.processes.values()].map((p) => p.pid!), stages: { cluster, nodes } });

/** Runs `write` `count` times, `parallel` at a time: client latencies, and the stages at `served.nodes`. */
async function measure(served: Served, count: number, parallel: number, write: (i: number) => Promise<unknown>): Promise<Measured> {
  const { pids, stages: at } = served;
  const nodes = at?.nodes ?? [];
  const buckets = async (): Promise<Buckets[]> => (at ? Promise.all(at.nodes.map((n) => stageBuckets(at.cluster, n))) : []);
  const before = await buckets();
  const nodesCpu0 = pids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
  const clientCpu0 = process.cpuUsage();
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      await write(i);
      latencies.push(performance.now() - t0);
    }
  }));
  const elapsed = performance.now() - start;
  const clientCpu = process.cpuUsage(clientCpu0);
  const nodesCpuMs = (pids.reduce((sum, pid) => sum + processCpuMs(pid), 0) - nodesCpu0) / count;
  const after = await buckets();
  const stages = new Map<string, [number, number]>();
  for (const stage of nodes.length > 0 ? STAGES : []) {
    // Each stage where it happens: the transaction at the owner, the rest at the node called.
    const at = stage === 'commit' || stage === 'durable' ? nodes.length - 1 : 0;
    const p50 = stageQuantile(before[at]!, after[at]!, stage, 50);
    if (Number.isFinite(p50)) stages.set(stage, [p50, stageQuantile(before[at]!, after[at]!, stage, 99)]);
  }
  return { clientCpuMs: (clientCpu.user + clientCpu.system) / 1000 / count, nodesCpuMs, perSecond: count / (elapsed / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), stages };
}

type Scenario = { key: string; title: string; target: { rate: string; p50: string } };

const SCENARIOS: Scenario[] = [
  { key: 'alone-seq', title: 'core alone, at core, sequential', target: { rate: '≥ 500', p50: '≤ 2' } },
  { key: 'alone-par', title: `core alone, at core, ${IN_FLIGHT} in flight`, target: { rate: '≥ 5,000', p50: '' } },
  { key: 'ceiling-seq', title: 'ceiling (gRPC mTLS + durable lmdb commit, no Strata), sequential', target: { rate: '', p50: '' } },
  { key: 'ceiling-par', title: `ceiling, ${IN_FLIGHT} in flight`, target: { rate: '', p50: '' } },
  { key: 'demo-seq', title: 'demo, at core, sequential', target: { rate: '≥ 500', p50: '≤ 2' } },
  { key: 'demo-par', title: `demo, at core, ${IN_FLIGHT} in flight`, target: { rate: '≥ 5,000', p50: '' } },
  { key: 'demo-site', title: 'demo, at berlin (forwarded to core), sequential', target: { rate: '≥ 300', p50: '≤ 5' } },
  { key: 'demo-ldap', title: 'demo, LDAP modify at berlin (forwarded), sequential', target: { rate: '', p50: '' } },
];

async function withCluster<T>(topology: string | undefined, fn: (cluster: Cluster) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-bench-'));
  const cluster = await Cluster.start(dataDir, topology ? { topology } : {});
  try {
    return await fn(cluster);
  } finally {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function settingWrites(api: ApiClient, served: Served, parallel: number, prefix: string): Promise<Measured> {
  api.keepChannel();
  try {
    for (let i = 0; i < 50; i++) await api.setSetting(`${prefix}.warm.${i}`, 'x'); // the channel, the JIT
    return await measure(served, parallel > 1 ? WRITES * 5 : WRITES, parallel, (i) => api.setSetting(`${prefix}.${i}`, String(i)));
  } finally {
    api.close();
  }
}

/** write-ceiling.js with the core's own TLS identity, the same client and writes; stopped after. */
async function ceilingWrites(cluster: Cluster, add: (key: string, m: Measured) => void): Promise<void> {
  const port = await freeBasePort(1);
  const dbDir = mkdtempSync(path.join(os.tmpdir(), 'strata-bench-ceiling-'));
  const ceiling = fork(path.join(__dirname, 'write-ceiling.js'), [String(port), path.join(cluster.dataDir, 'core', 'tls'), dbDir], { stdio: 'inherit' });
  try {
    await new Promise<void>((resolve, reject) => {
      ceiling.once('message', () => resolve());
      ceiling.once('exit', (code) => reject(new Error(`write-ceiling.js exited (${code}) before listening on 127.0.0.1:${port}`)));
    });
    const served: Served = { pids: [ceiling.pid!] };
    const api = (): ApiClient => new ApiClient(`127.0.0.1:${port}`, cluster.clock, cluster.tls);
    add('ceiling-seq', await settingWrites(api(), served, 1, 'c'));
    add('ceiling-par', await settingWrites(api(), served, IN_FLIGHT, 'cp'));
  } finally {
    ceiling.kill();
    rmSync(dbDir, { recursive: true, force: true });
  }
}

async function oneRun(results: Map<string, Measured[]>): Promise<void> {
  const add = (key: string, m: Measured): void => void results.set(key, [...(results.get(key) ?? []), m]);
  await withCluster(CORE_ALONE, async (cluster) => {
    add('alone-seq', await settingWrites(cluster.api('core'), servedBy(cluster, ['core']), 1, 'a'));
    add('alone-par', await settingWrites(cluster.api('core'), servedBy(cluster, ['core']), IN_FLIGHT, 'ap'));
    await ceilingWrites(cluster, add);
  });
  await withCluster(undefined, async (cluster) => {
    add('demo-seq', await settingWrites(cluster.api('core'), servedBy(cluster, ['core']), 1, 'd'));
    add('demo-par', await settingWrites(cluster.api('core'), servedBy(cluster, ['core']), IN_FLIGHT, 'dp'));
    add('demo-site', await settingWrites(cluster.api('berlin'), servedBy(cluster, ['berlin', 'core']), 1, 's'));
    const ldap = await LdapClient.bound(cluster.ldap.get('berlin')!, ADMIN, 'admin-demo');
    try {
      add('demo-ldap', await measure(servedBy(cluster, ['berlin', 'core']), Math.min(WRITES, 300), 1, (i) => ldap.modify(ADMIN, 'replace', 'description', [`bench ${i}`])));
    } finally {
      ldap.close();
    }
  });
}

export async function writes(): Promise<void> {
  const results = new Map<string, Measured[]>();
  for (let run = 1; run <= RUNS; run++) {
    process.stderr.write(`writes: run ${run}/${RUNS}…\n`);
    await oneRun(results);
  }
  const rows: Row[] = [];
  for (const s of SCENARIOS) {
    const runs = results.get(s.key) ?? [];
    rows.push({ metric: `${s.title}: writes/s`, target: s.target.rate, values: runs.map((m) => m.perSecond) });
    rows.push({ metric: '  client latency p50 (ms)', target: s.target.p50, values: runs.map((m) => m.p50) });
    rows.push({ metric: '  client latency p99 (ms)', target: '', values: runs.map((m) => m.p99) });
    rows.push({ metric: '  CPU per write: client (ms)', target: '', values: runs.map((m) => m.clientCpuMs) });
    rows.push({ metric: '  CPU per write: all server processes (ms)', target: '', values: runs.map((m) => m.nodesCpuMs) });
    for (const stage of STAGES) {
      if (!runs.some((m) => m.stages.has(stage))) continue;
      rows.push({ metric: `  stage ${stage} p50 (ms)`, target: '', values: runs.map((m) => m.stages.get(stage)?.[0] ?? NaN) });
      rows.push({ metric: `  stage ${stage} p99 (ms)`, target: '', values: runs.map((m) => m.stages.get(stage)?.[1] ?? NaN) });
    }
  }
  // The core alone against the ceiling of the same run: what Strata's write path keeps of what this machine can do.
  const ratio = (key: string, of: (m: Measured) => number): number[] => (results.get(key) ?? []).map((m, i) => of(m) / of(results.get(key.replace('alone', 'ceiling'))![i]!));
  rows.push({ metric: 'core alone ÷ ceiling, sequential: writes/s', target: '', values: ratio('alone-seq', (m) => m.perSecond) });
  rows.push({ metric: '  client latency p50', target: '', values: ratio('alone-seq', (m) => m.p50) });
  rows.push({ metric: `core alone ÷ ceiling, ${IN_FLIGHT} in flight: writes/s`, target: '', values: ratio('alone-par', (m) => m.perSecond) });
  const header = ['metric', ...Array.from({ length: RUNS }, (_, i) => `run ${i + 1}`), 'median', 'target'];
  const table = rows.map((r) => [r.metric, ...r.values.map(fmt), fmt(percentile(r.values, 50)), r.target]);
  console.log(`\nwrites — SetSetting over one kept mTLS channel, signed by the operator (as the CLI signs); ${WRITES} sequential or ${WRITES * 5} with ${IN_FLIGHT} in flight; ${os.cpus().length} cores, ${RUNS} runs`);
  console.log('stages from the nodes\' strata_write_stage_seconds histograms (interpolated within buckets); forward and visible are at berlin, the rest at the owner (core)');
  console.log(`CPU from /proc and process.cpuUsage(): with ${os.cpus().length} cores, writes/s cannot exceed ${os.cpus().length} × 1000 / (client + nodes CPU per write)\n`);
  printTable(header, table);
}
