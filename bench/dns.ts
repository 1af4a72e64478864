// DNS serving at a site node (berlin in the demo topology, 7 real node
// processes) measured with dnsperf, against unbound (1 thread) serving the
// same names from local-data in the same run — so the result is a ratio.
// Three query mixes: authoritative answers, service answers, cache hits
// (names of another region, forwarded once and then cached). For each:
// max queries/s, and p50/p99 latency at a fixed 20k q/s (from dnsperf -v).
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

const MIXES: Record<string, string[]> = {
  authoritative: ['printer.berlin.eu.edge.example A', 'files.berlin.eu.edge.example A', 'berlin.eu.edge.example SOA', 'www.edge.example A'],
  service: ['api.svc.edge.example A', 'api.svc.berlin.eu.edge.example A'],
  'cache hit': ['printer.nyc.us.edge.example A', 'printer.sfo.us.edge.example A', 'gateway.us.edge.example A'],
};

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

function startReference(dir: string, port: number): ChildProcess {
  return startUnbound(dir, port, ['  local-zone: "edge.example." static', ...[...new Set(UNBOUND_DATA)].map((rr) => `  local-data: "${rr}"`)]);
}

export async function dns(): Promise<void> {
  requireTools(['dnsperf', 'unbound']);
  const unboundSamples = new Map<string, Sample[]>(Object.keys(MIXES).map((k) => [k, []]));
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
      process.stderr.write(`dns: run ${r}/${RUNS}, unbound…\n`);
      const unboundPort = (await freeBasePort(2)) + 1;
      const unbound = startReference(dir, unboundPort);
      try {
        for (const [mix, file] of files) {
          await dnsperf(unboundPort, file, ['-c', '1', '-n', '1']);
          unboundSamples.get(mix)!.push(await measure(unboundPort, file));
        }
      } finally {
        unbound.kill();
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
  console.log(`\ndns — berlin (site) of the demo topology vs unbound 1 thread, dnsperf ${SECONDS} s per point, median of ${RUNS} runs, ${os.cpus().length} cores`);
  console.log('latency at a fixed 20,000 q/s offered; target: Strata ≥ 0.8 × unbound q/s on cache hits and authoritative, p99 ≤ 1 ms at 20k q/s\n');
  console.log('| mix | berlin dns.workers | Strata q/s | unbound q/s | ratio | Strata p50 ms | Strata p99 ms | unbound p50 ms | unbound p99 ms |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const mix of Object.keys(MIXES)) {
    const u = med(unbound.get(mix)!);
    for (const workers of WORKERS) {
      const s = med(strata.get(`${mix}|${workers}`)!);
      console.log(`| ${mix} | ${workers} | ${fmt(s.qps)} | ${fmt(u.qps)} | ${fmt(s.qps / u.qps, 2)} | ${fmt(s.p50, 3)} | ${fmt(s.p99, 3)} | ${fmt(u.p50, 3)} | ${fmt(u.p99, 3)} |`);
    }
  }
  const unboundAuth = median(unbound.get('authoritative')!.map((x) => x.qps));
  console.log(`\nreference: a fixed-answer node:dgram server with 2 cluster workers (Node's UDP ceiling here): ${fmt(median(ceiling))} q/s, ${fmt(median(ceiling) / unboundAuth, 2)} × unbound (runs: ${ceiling.map((x) => fmt(x)).join(', ')})`);
  for (const [what, pick, digits] of [['q/s', (x: Sample) => x.qps, 0], ['p99 ms at 20k q/s', (x: Sample) => x.p99, 2]] as const) {
    console.log(`\nper run (${what}):`);
    for (const mix of Object.keys(MIXES)) {
      const parts = WORKERS.map((w) => `Strata workers ${w}: ${strata.get(`${mix}|${w}`)!.map((x) => fmt(pick(x), digits)).join(', ')}`);
      console.log(`- ${mix}: ${parts.join('; ')}; unbound: ${unbound.get(mix)!.map((x) => fmt(pick(x), digits)).join(', ')}`);
    }
  }
}
