// Scale with real processes (issue 13, part 3): a generated tree of one core,
// BENCH_REGIONALS regional nodes (3) and BENCH_SITES sites (30), started as
// `strata up --sites N` starts them, each regional's uplink through a TCP
// proxy of this process (to count what flows into the core). Measures the
// start, a core change until every site has it, each idle process's RSS and
// CPU, the status traffic into the core, and the re-parenting of one
// regional's sites when it is killed. Prints a table, then one JSON line.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatedTopologyYaml } from '../src/cli/topology';
import { Cluster } from '../test/support/cluster';
import { fmt, percentile, printTable } from './table';

const SITES = Number(process.env.BENCH_SITES ?? 30);
const REGIONALS = Number(process.env.BENCH_REGIONALS ?? 3);
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 10);
const CLK_TCK = 100;
const PAGE = 4096;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU seconds (user + system) and RSS bytes of a process, from /proc. */
function usage(pid: number): { cpuS: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { cpuS: (Number(fields[11]) + Number(fields[12])) / CLK_TCK, rssBytes: Number(fields[21]) * PAGE };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (performance.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
}

export async function scale(): Promise<void> {
  const regionals = Array.from({ length: REGIONALS }, (_, i) => `r${i + 1}`);
  const sites = Array.from({ length: SITES }, (_, i) => `s${i + 1}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-scale-'));
  process.stderr.write(`scale: starting 1 core, ${REGIONALS} regionals, ${SITES} sites…\n`);
  const startedAt = performance.now();
  const cluster = await Cluster.start(dataDir, { topology: generatedTopologyYaml(REGIONALS, SITES), proxied: regionals, startAtOnce: Math.max(4, 2 * os.cpus().length) });
  const startS = (performance.now() - startedAt) / 1000;
  try {
    // Status traffic and idle cost, after a settling pause.
    await sleep(3000);
    const pids = new Map(cluster.names().map((n) => [n, cluster.processes.get(n)!.pid!]));
    const before = new Map([...pids].map(([n, pid]) => [n, usage(pid)]));
    const upBefore = regionals.reduce((sum, r) => sum + cluster.proxies.get(r)!.bytesUp, 0);
    await sleep(IDLE_S * 1000);
    const after = new Map([...pids].map(([n, pid]) => [n, usage(pid)]));
    const upBytes = regionals.reduce((sum, r) => sum + cluster.proxies.get(r)!.bytesUp, 0) - upBefore;
    const cpuPct = (n: string): number => ((after.get(n)!.cpuS - before.get(n)!.cpuS) / IDLE_S) * 100;
    const rssMb = (n: string): number => after.get(n)!.rssBytes / 1024 / 1024;

    // A core change until every site has it.
    const api = cluster.api('core').keepChannel();
    const siteApis = new Map(sites.map((s) => [s, cluster.api(s).keepChannel()]));
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const { seq } = await api.setSetting(`scale.${i}`, String(i));
      await Promise.all(sites.map((s) => waitFor(async () => (await siteApis.get(s)!.listSettings('scale.')).seq >= seq, 30_000)));
      latencies.push(performance.now() - t0);
      await sleep(100);
    }
    api.close();
    for (const a of siteApis.values()) a.close();

    // Kill -9 a regional: until all its sites are linked to the core.
    const orphans = sites.filter((_, i) => i % REGIONALS === 0);
    await cluster.kill('r1');
    const killedAt = performance.now();
    await waitFor(async () => {
      const nodes = (await cluster.topologyAt('core')).nodes;
      return orphans.every((s) => {
        const r = nodes.find((n) => n.name === s);
        return Boolean(r?.connected && r.parent === 'core');
      });
    }, 60_000);
    const reparentMs = performance.now() - killedAt;

    const siteCpu = sites.map(cpuPct);
    const siteRss = sites.map(rssMb);
    const rows: string[][] = [
      ['start (all ready, linked)', fmt(startS), 's', ''],
      ['core change → all sites, p50', fmt(percentile(latencies, 50)), 'ms', ''],
      ['core change → all sites, p99 (20 changes)', fmt(percentile(latencies, 99)), 'ms', '≤ 1,000'],
      [`re-parent the ${orphans.length} sites of a killed regional`, fmt(reparentMs), 'ms', ''],
      ['idle site RSS, median / max', `${fmt(percentile(siteRss, 50))} / ${fmt(Math.max(...siteRss))}`, 'MB', '≤ 80'],
      ['idle site CPU, median / max', `${percentile(siteCpu, 50).toFixed(2)} / ${Math.max(...siteCpu).toFixed(2)}`, '% of a core', '≤ 1'],
      ['idle regional CPU, median', percentile(regionals.map(cpuPct), 50).toFixed(2), '% of a core', ''],
      ['idle core CPU', cpuPct('core').toFixed(2), '% of a core', '≤ 10'],
      ['core RSS', fmt(rssMb('core')), 'MB', ''],
      ['status and heartbeats into the core (all regional links)', fmt(upBytes / IDLE_S), 'bytes/s', ''],
    ];
    console.log(`\nscale — real processes: 1 core, ${REGIONALS} regionals, ${SITES} sites on ${os.cpus().length} cores; idle measured over ${IDLE_S} s\n`);
    printTable(['metric', 'value', 'unit', 'target'], rows);
    console.log(JSON.stringify({
      sites: SITES, regionals: REGIONALS, startS, propagationP50Ms: percentile(latencies, 50), propagationP99Ms: percentile(latencies, 99), reparentAllMs: reparentMs,
      siteRssMbMedian: percentile(siteRss, 50), siteCpuPctMedian: percentile(siteCpu, 50), coreCpuPctSteady: cpuPct('core'), coreRssMb: rssMb('core'), reportBytesPerSec: upBytes / IDLE_S,
    }));
  } finally {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
