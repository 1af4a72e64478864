// DNS serving at a site node (berlin in the demo topology, 7 real node
// processes) measured with dnsperf, against unbound (1 thread) serving the
// same names from local-data in the same run — so the result is a ratio.
// Four query mixes: authoritative answers, service answers, cache hits
// (names of another region, forwarded once and then cached), and a realistic
// mix — 1,000 names imported at berlin, queried at random, plus 5 % random
// never-seen names (the NXDOMAIN share of real traffic and of random-subdomain
// floods). For each: max queries/s, and p50/p99 latency at a fixed 20k q/s
// (from dnsperf -v). unbound serves the same names (local-data) with 1 and 2
// threads (BENCH_UNBOUND_THREADS, "1,2").
// In the same run, a fixed-answer node:dgram server with 2 workers shows
// the ceiling of Node's UDP path on this machine.
// Needs the Debian packages dnsperf and unbound. Env: BENCH_RUNS (3), BENCH_SECONDS (5),
// BENCH_DNS_WORKERS (berlin's dns.workers settings to compare, default "0,2").

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadDemoData, startDemoBackends } from '../src/cli/up/demo-data';
import { SystemClock } from '../src/kernel/clock';
import { Cluster } from '../test/support/cluster';
import { requireTools } from '../test/support/debian-tools';
import { freeBasePort } from '../test/support/ports';
import { startUnbound } from '../test/support/unbound';

const run = promisify(execFile);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RATE = 20_000;
/** dns.workers settings of berlin to measure, e.g. "0,2". */
const WORKERS = (process.env.BENCH_DNS_WORKERS ?? '0,2').split(',').map(Number);
/** unbound's num-threads settings to measure, e.g. "1,2". */
const UNBOUND_THREADS = (process.env.BENCH_UNBOUND_THREADS ?? '1,2').split(',').map(Number);
const MIXED = '1,000 names + 5 % NX';
const MIXED_NAMES = 1000;
const MIXED_QUERIES = 20_000;
const mixedName = (i: number): string => `host${i}.berlin.eu.edge.example`;

const MIXES: Record<string, string[]> = {
  authoritative: ['printer.berlin.eu.edge.example A', 'files.berlin.eu.edge.example A', 'berlin.eu.edge.example SOA', 'www.edge.example A'],
  service: ['api.svc.edge.example A', 'api.svc.berlin.eu.edge.example A'],
  'cache hit': ['printer.nyc.us.edge.example A', 'printer.sfo.us.edge.example A', 'gateway.us.edge.example A'],
  // Filled below: random names of the 1,000, and 5 % never seen.
  [MIXED]: [],
};

/** A seeded generator, so every run and every server gets the same query file. */
function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

{
  const random = seeded(7);
  for (let i = 0; i < MIXED_QUERIES; i++) {
    MIXES[MIXED]!.push(random() < 0.05 ? `nx${Math.floor(random() * 1e9).toString(36)}.berlin.eu.edge.example A` : `${mixedName(Math.floor(random() * MIXED_NAMES))} A`);
  }
}

/** The 1,000 names as a zone file for berlin's zone (imported through the API), and as unbound local-data. */
const MIXED_ZONE = Array.from({ length: MIXED_NAMES }, (_, i) => `host${i} 60 IN A 127.0.${30 + Math.floor(i / 250)}.${i % 250}`).join('\n');
const MIXED_DATA = Array.from({ length: MIXED_NAMES }, (_, i) => `${mixedName(i)}. 60 IN A 127.0.${30 + Math.floor(i / 250)}.${i % 250}`);

const UNBOUND_DATA = [
  'printer.berlin.eu.edge.example. 60 IN A 127.0.30.20',
  'printer.berlin.eu.edge.example. 60 IN A 127.0.30.20',
  'files.berlin.eu.edge.example. 60 IN CNAME printer.berlin.eu.edge.example.',
  'berlin.eu.edge.example. 30 IN SOA ns.berlin.eu.edge.example. hostmaster.berlin.eu.edge.example. 2 3600 600 86400 30',
  'www.edge.example. 60 IN A 127.0.10.10',
  'api.svc.edge.example. 5 IN A 127.0.30.1',
  'api.svc.berlin.eu.edge.example. 5 IN A 127.0.30.1',
  'printer.nyc.us.edge.example. 60 IN A 127.0.50.20',
  'printer.sfo.us.edge.example. 60 IN A 127.0.60.20',
  'gateway.us.edge.example. 60 IN A 127.0.20.20',
];

interface Sample { qps: number; p50: number; p99: number }

async function dnsperf(port: number, file: string, extra: string[]): Promise<string> {
  const { stdout } = await run('dnsperf', ['-s', '127.0.0.1', '-p', String(port), '-d', file, '-l', String(SECONDS), '-e', ...extra], { maxBuffer: 512 * 1024 * 1024 });
  return stdout;
}

async function measure(port: number, file: string): Promise<Sample> {
  const max = await dnsperf(port, file, ['-c', '4', '-q', '200']);
  const qps = Number(/Queries per second:\s+([\d.]+)/.exec(max)?.[1] ?? NaN);
  const verbose = await dnsperf(port, file, ['-Q', String(RATE), '-c', '4', '-q', '500', '-v']);
  const latencies = [...verbose.matchAll(/^> \S+ .* ([\d.]+)$/gm)].map((m) => Number(m[1]) * 1000).sort((a, b) => a - b);
  const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { qps, p50: pct(50), p99: pct(99) };
}

function startReference(dir: string, port: number, threads: number): ChildProcess {
  return startUnbound(dir, port, ['  local-zone: "edge.example." static', ...[...new Set([...UNBOUND_DATA, ...MIXED_DATA])].map((rr) => `  local-data: "${rr}"`)], [], `unbound-${threads}.conf`, threads);
}

export async function dns(): Promise<void> {
  requireTools(['dnsperf', 'unbound']);
  const unboundSamples = new Map<string, Sample[]>(Object.keys(MIXES).flatMap((k) => UNBOUND_THREADS.map((t) => [`${k}|${t}`, []] as [string, Sample[]])));
  const strataSamples = new Map<string, Sample[]>();
  const ceilingQps: number[] = [];
  for (let r = 1; r <= RUNS; r++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-bench-dns-'));
    try {
      const files = new Map(Object.entries(MIXES).map(([mix, queries]) => {
        const file = path.join(dir, `${mix.replace(' ', '-')}.txt`);
        writeFileSync(file, `${queries.join('\n')}\n`);
        return [mix, file];
      }));
      for (const workers of WORKERS) {
        process.stderr.write(`dns: run ${r}/${RUNS}, berlin with dns.workers ${workers}…\n`);
        const cluster = await Cluster.start(path.join(dir, `w${workers}`), { perNode: { berlin: { dns: { workers } } } });
        const backends = await startDemoBackends(cluster.basePort + 90);
        try {
          await loadDemoData(cluster.endpoints(), cluster.basePort + 90, new SystemClock(), cluster!.tls);
          await cluster.api('berlin').unary('RecordService', 'ImportZone', { zone: '', text: MIXED_ZONE, source: 'bench' });
          await new Promise((resolve) => setTimeout(resolve, 3000));
          const berlin = Number(cluster.dns.get('berlin')!.split(':')[1]);
          for (const [mix, file] of files) {
            await dnsperf(berlin, file, ['-c', '1', '-n', '1']);
            const key = `${mix}|${workers}`;
            strataSamples.set(key, [...(strataSamples.get(key) ?? []), await measure(berlin, file)]);
          }
        } finally {
          for (const b of backends) b.close();
          await cluster.stop();
        }
      }
      process.stderr.write(`dns: run ${r}/${RUNS}, node:dgram ceiling…\n`);
      const ceilingPort = (await freeBasePort(2)) + 1;
      const ceiling = spawn(process.execPath, [path.join(__dirname, 'fixed-answer.js'), String(ceilingPort), '2'], { stdio: 'ignore' });
      try {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const file = files.get('authoritative')!;
        await dnsperf(ceilingPort, file, ['-c', '1', '-n', '1']);
        const max = await dnsperf(ceilingPort, file, ['-c', '4', '-q', '200']);
        ceilingQps.push(Number(/Queries per second:\s+([\d.]+)/.exec(max)?.[1] ?? NaN));
      } finally {
        ceiling.kill('SIGTERM');
      }
      for (const threads of UNBOUND_THREADS) {
        process.stderr.write(`dns: run ${r}/${RUNS}, unbound ${threads} thread(s)…\n`);
        const unboundPort = (await freeBasePort(2)) + 1;
        const unbound = startReference(dir, unboundPort, threads);
        try {
          await new Promise((resolve) => setTimeout(resolve, 500));
          for (const [mix, file] of files) {
            await dnsperf(unboundPort, file, ['-c', '1', '-n', '1']);
            unboundSamples.get(`${mix}|${threads}`)!.push(await measure(unboundPort, file));
          }
        } finally {
          unbound.kill();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  printTable(strataSamples, unboundSamples, ceilingQps);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function printTable(strata: Map<string, Sample[]>, unbound: Map<string, Sample[]>, ceiling: number[]): void {
  const fmt = (v: number, digits = 0): string => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');
  const med = (samples: Sample[]): Sample => ({ qps: median(samples.map((x) => x.qps)), p50: median(samples.map((x) => x.p50)), p99: median(samples.map((x) => x.p99)) });
  console.log(`\ndns — berlin (site) of the demo topology vs unbound (${UNBOUND_THREADS.join(' and ')} threads), dnsperf ${SECONDS} s per point, median of ${RUNS} runs, ${os.cpus().length} cores`);
  console.log('latency at a fixed 20,000 q/s offered; target: Strata ≥ 0.8 × unbound q/s at equal threads (dns.workers 0 ~ 1 thread, N workers ~ N threads) on the mixed file\n');
  const unboundCols = UNBOUND_THREADS.map((t) => `unbound ${t}t q/s | ratio to ${t}t`).join(' | ');
  console.log(`| mix | berlin dns.workers | Strata q/s | ${unboundCols} | Strata p50 ms | Strata p99 ms | unbound 1t p50 ms | unbound 1t p99 ms |`);
  console.log(`|---|---:|---:|${UNBOUND_THREADS.map(() => '---:|---:|').join('')}---:|---:|---:|---:|`);
  for (const mix of Object.keys(MIXES)) {
    const u = new Map(UNBOUND_THREADS.map((t) => [t, med(unbound.get(`${mix}|${t}`)!)]));
    const u1 = u.get(UNBOUND_THREADS[0]!)!;
    for (const workers of WORKERS) {
      const s = med(strata.get(`${mix}|${workers}`)!);
      const cols = UNBOUND_THREADS.map((t) => `${fmt(u.get(t)!.qps)} | ${fmt(s.qps / u.get(t)!.qps, 2)}`).join(' | ');
      console.log(`| ${mix} | ${workers} | ${fmt(s.qps)} | ${cols} | ${fmt(s.p50, 3)} | ${fmt(s.p99, 3)} | ${fmt(u1.p50, 3)} | ${fmt(u1.p99, 3)} |`);
    }
  }
  const unboundAuth = median(unbound.get(`authoritative|${UNBOUND_THREADS[0]}`)!.map((x) => x.qps));
  console.log(`\nreference: a fixed-answer node:dgram server with 2 cluster workers (Node's UDP ceiling here): ${fmt(median(ceiling))} q/s, ${fmt(median(ceiling) / unboundAuth, 2)} × unbound ${UNBOUND_THREADS[0]}t (runs: ${ceiling.map((x) => fmt(x)).join(', ')})`);
  for (const [what, pick, digits] of [['q/s', (x: Sample) => x.qps, 0], ['p99 ms at 20k q/s', (x: Sample) => x.p99, 2]] as const) {
    console.log(`\nper run (${what}):`);
    for (const mix of Object.keys(MIXES)) {
      const parts = WORKERS.map((w) => `Strata workers ${w}: ${strata.get(`${mix}|${w}`)!.map((x) => fmt(pick(x), digits)).join(', ')}`);
      const refs = UNBOUND_THREADS.map((t) => `unbound ${t}t: ${unbound.get(`${mix}|${t}`)!.map((x) => fmt(pick(x), digits)).join(', ')}`);
      console.log(`- ${mix}: ${[...parts, ...refs].join('; ')}`);
    }
  }
}
