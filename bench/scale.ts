// Scale (issue 13), in two parts, each printing a table; one JSON line last.
// 1. Simulation: BENCH_SITES sites (1000) under BENCH_REGIONALS regionals (10)
//    as real Federations on their own stores (in memory; BENCH_STORES=lmdb) in this process, linked in memory with
//    BENCH_WAN_MS (20) per link: start, a core change until every site has it,
//    status traffic into the core, re-parenting a killed regional's sites,
//    catching up after a regional's partition of BENCH_PARTITION_S (60) with
//    1,000 changes. BENCH_SIM_HEARTBEAT_MS (1000), BENCH_SIM_MISSED_HEARTBEATS (3):
//    the simulated nodes' heartbeat and how many silent ones lose a link.
// 2. Real processes: BENCH_PROCESS_SITES (30) under BENCH_PROCESS_REGIONALS (3),
//    started as `strata up --sites N` does, each regional's uplink through a TCP
//    proxy (to count what flows into the core): the same figures plus each idle
//    process's RSS and CPU, and what each site costs the core (its heap after GC
//    and its store, against the same tree without sites).

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatedTopologyYaml } from '../src/cli/up/topology';
import { Cluster } from '../test/support/cluster';
import { Simulation } from '../test/support/simulation';
import { enableHeapSnapshots, heapAfterGc } from './heap';
import { fmt, percentile, printTable } from './table';

const SITES = Number(process.env.BENCH_PROCESS_SITES ?? 30);
const REGIONALS = Number(process.env.BENCH_PROCESS_REGIONALS ?? 3);
const SIM_SITES = Number(process.env.BENCH_SITES ?? 1000);
const SIM_REGIONALS = Number(process.env.BENCH_REGIONALS ?? 10);
const WAN_MS = Number(process.env.BENCH_WAN_MS ?? 20);
const PARTITION_S = Number(process.env.BENCH_PARTITION_S ?? 60);
/** Heartbeat of the simulated nodes (1000 as a node's default; 10,000 nodes in one process need slower ones). */
const SIM_HEARTBEAT_MS = Number(process.env.BENCH_SIM_HEARTBEAT_MS ?? 1000);
/** Silent heartbeats before a simulated link counts as lost (3 as a node's default; 10,000 nodes' GC pauses need more). */
const SIM_MISSED_HEARTBEATS = Number(process.env.BENCH_SIM_MISSED_HEARTBEATS ?? 3);
/**
 * BENCH_STORES=memory|lmdb (memory). Every simulated node's store is the same Store on either engine, but a
 * thousand lmdb environments in one process do not behave like a thousand machines: their commits and
 * fsyncs all queue on this one process's four libuv threads and one disk (1,011 nodes: 10 changes cost
 * 10.3 s of CPU and reach every site in 410–970 ms on lmdb, 2.4 s and 90–170 ms in memory), so the
 * figures would measure the harness. lmdb also takes 3 file descriptors per node (the limit here is 20,000).
 */
const MEMORY_STORES = (process.env.BENCH_STORES ?? 'memory') === 'memory';
// Long enough for every node to be idle, not just done starting: V8 gives back the start's garbage ~8 s after it,
// the idle collector (kernel/idle-gc.ts) checks every 30 s; RSS is read at the end.
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 30);
const CLK_TCK = 100;
const PAGE = 4096;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU seconds (user + system) and RSS bytes of a process, from /proc. */
function usage(pid: number): { cpuS: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { cpuS: (Number(fields[11]) + Number(fields[12])) / CLK_TCK, rssBytes: Number(fields[21]) * PAGE };
}

/**
 * A process's proportional set size in bytes (/proc/PID/smaps_rollup): its
 * private pages plus its share of pages mapped by several processes — on one
 * machine running 30 sites, the Node.js executable's ~45 MB of resident code
 * is counted once in all, not once per site as RSS counts it.
 */
function pssBytes(pid: number): number {
  const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

/** Bytes the core's store takes on disk (blocks allocated to its lmdb files: the map file is sparse). */
function storeBytes(dataDir: string): number {
  const dir = path.join(dataDir, 'core', 'store');
  return readdirSync(dir).reduce((sum, f) => sum + statSync(path.join(dir, f)).blocks * 512, 0);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (performance.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
}

/** Part 1: the simulation. */
async function simulated(): Promise<Record<string, number>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-sim-'));
  process.stderr.write(`scale: simulating 1 core, ${SIM_REGIONALS} regionals, ${SIM_SITES} sites, ${WAN_MS} ms per link…\n`);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const sim = await Simulation.start({ dir, regionals: SIM_REGIONALS, sites: SIM_SITES, wanMs: WAN_MS, memoryStores: MEMORY_STORES, link: { heartbeatMs: SIM_HEARTBEAT_MS, missedHeartbeats: SIM_MISSED_HEARTBEATS } });
  try {
    const startedMs = performance.now() - t0;
    const everyone = [...sim.nodes.keys()].filter((n) => n !== 'core');
    await sim.linked(everyone, (n) => [sim.node(n).parents[0]!.name], 300_000);
    const linkedMs = performance.now() - t0;
    const startCpuS = (process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1e6;
    await sleep(3000);
    const coreAddress = sim.node('core').address;
    const bytes0 = sim.transport.received.get(coreAddress) ?? 0;
    const idle0 = process.cpuUsage();
    await sleep(IDLE_S * 1000);
    const idleCpu = process.cpuUsage(idle0);
    const reportBytesPerSec = ((sim.transport.received.get(coreAddress) ?? 0) - bytes0) / IDLE_S;
    const idleCpuPct = ((idleCpu.user + idleCpu.system) / 1e6 / IDLE_S) * 100;
    const rssMb = process.memoryUsage().rss / 1024 / 1024;

    const core = sim.store('core');
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const w0 = performance.now();
      const [change] = await core.write('settings', [{ op: 'put', key: `sim.${i}`, value: i }]);
      latencies.push((await sim.reached(sim.sites, 'settings', change!.seq)) - w0);
      await sleep(200);
    }

    const orphans = sim.sites.filter((s) => sim.node(s).parents[0]!.name === 'r1');
    const killedAt = performance.now();
    await sim.kill('r1');
    const reparentAllMs = (await sim.linked(orphans, () => ['core'], 120_000)) - killedAt;
    const [marker] = await core.write('settings', [{ op: 'put', key: 'after.reparent', value: 1 }]);
    await sim.reached(orphans, 'settings', marker!.seq); // nothing lost on the way

    const region = sim.sites.filter((s) => sim.node(s).parents[0]!.name === 'r2');
    sim.cut('r2');
    const cutAt = performance.now();
    let seq = 0;
    for (let i = 0; i < 10; i++) {
      seq = (await core.write('settings', Array.from({ length: 100 }, (_, j) => ({ op: 'put' as const, key: `part.${i}.${j}`, value: j })))).at(-1)!.seq;
      await sleep((PARTITION_S * 1000) / 20);
    }
    await sleep(Math.max(0, cutAt + PARTITION_S * 1000 - performance.now()));
    const healedAt = performance.now();
    sim.heal('r2');
    const catchUpMs = (await sim.reached(['r2', ...region], 'settings', seq, 120_000)) - healedAt;

    const rows: string[][] = [
      ['start: all nodes up / all linked to their primary', `${fmt(startedMs / 1000)} / ${fmt(linkedMs / 1000)}`, 's', ''],
      ['  CPU to start and link (this process)', fmt(startCpuS), 's', ''],
      ['core change → all sites, p50', fmt(percentile(latencies, 50)), 'ms', ''],
      ['core change → all sites, p99 (20 changes)', fmt(percentile(latencies, 99)), 'ms', '≤ 500'],
      [`re-parent the ${orphans.length} sites of a killed regional`, fmt(reparentAllMs), 'ms', '≤ 10,000'],
      [`catch-up of a region (${region.length} sites) after ${PARTITION_S} s cut off with 1,000 changes`, fmt(catchUpMs), 'ms', '≤ 5,000'],
      ['status and heartbeats into the core', fmt(reportBytesPerSec), 'bytes/s', ''],
      ['idle CPU of the whole simulation (every node in one process)', idleCpuPct.toFixed(1), '% of a core', ''],
      ['memory of the whole simulation, per node', fmt((rssMb * 1024) / sim.nodes.size), 'KB', ''],
    ];
    console.log(`\nscale, simulated — 1 core, ${SIM_REGIONALS} regionals, ${SIM_SITES} sites in one process (real Federations, stores ${MEMORY_STORES ? 'in memory' : 'on lmdb'}, in-memory links of ${WAN_MS} ms, heartbeats every ${SIM_HEARTBEAT_MS} ms)\n`);
    printTable(['metric', 'value', 'unit', 'target'], rows);
    return { sites: SIM_SITES, regionals: SIM_REGIONALS, wanMs: WAN_MS, memoryStores: MEMORY_STORES ? 1 : 0, propagationP50Ms: percentile(latencies, 50), propagationP99Ms: percentile(latencies, 99), reparentAllMs, catchUpMs, reportBytesPerSec, simulationKbPerNode: (rssMb * 1024) / sim.nodes.size };
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function scale(): Promise<void> {
  const sim = process.env.BENCH_SCALE_PARTS?.includes('processes-only') ? {} : await simulated();
  const processes = process.env.BENCH_SCALE_PARTS?.includes('simulation-only') ? {} : await realProcesses();
  console.log(JSON.stringify({ ...sim, coreCpuPctSteady: processes.coreCpuPctSteady ?? null, coreBytesPerSiteKb: processes.coreBytesPerSiteKb ?? null, processes }));
}

/** Part 2: real processes. */
async function realProcesses(): Promise<Record<string, number>> {
  // The same tree without its sites, for what each site adds to the core: its heap after a full GC (compiled code
  // apart) and its store on disk. (RSS also grows with what the process has run, not only with what it holds.)
  enableHeapSnapshots();
  const bareDir = mkdtempSync(path.join(os.tmpdir(), 'strata-scale-core-'));
  const bare = await Cluster.start(bareDir, { topology: generatedTopologyYaml(REGIONALS, 0) });
  await sleep(3000 + IDLE_S * 1000);
  const bareCore = { rssKb: usage(bare.processes.get('core')!.pid!).rssBytes / 1024, heap: await heapAfterGc(bare.processes.get('core')!.pid!), storeBytes: storeBytes(bareDir) };
  await bare.stop();
  rmSync(bareDir, { recursive: true, force: true });

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
    const sitePss = sites.map((s) => pssBytes(pids.get(s)!) / 1024 / 1024);

    // What the sites cost the core, idle, before anything below moves (the killed regional's sites linked to the core would count too).
    const core = { heap: await heapAfterGc(pids.get('core')!), storeBytes: storeBytes(dataDir) };
    const heapPerSiteKb = (core.heap.dataBytes - bareCore.heap.dataBytes) / 1024 / SITES;
    const storePerSiteKb = (core.storeBytes - bareCore.storeBytes) / 1024 / SITES;
    const rssPerSiteKb = (after.get('core')!.rssBytes / 1024 - bareCore.rssKb) / SITES;

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
      ['idle site PSS (shared pages divided among the processes), median / max', `${fmt(percentile(sitePss, 50))} / ${fmt(Math.max(...sitePss))}`, 'MB', ''],
      ['idle site CPU, median / max', `${percentile(siteCpu, 50).toFixed(2)} / ${Math.max(...siteCpu).toFixed(2)}`, '% of a core', '≤ 1'],
      ['idle regional CPU, median', percentile(regionals.map(cpuPct), 50).toFixed(2), '% of a core', ''],
      ['idle core CPU', cpuPct('core').toFixed(2), '% of a core', '≤ 10'],
      [`core RSS (the same tree without its sites)`, `${fmt(rssMb('core'))} (${fmt(bareCore.rssKb / 1024)})`, 'MB', ''],
      ['  core heap after GC, live data (without the sites); compiled code', `${fmt(core.heap.dataBytes / 2 ** 20)} (${fmt(bareCore.heap.dataBytes / 2 ** 20)}); ${fmt(core.heap.codeBytes / 2 ** 20)}`, 'MB', ''],
      ['  the core\'s memory per site: heap data / store on disk / RSS', `${fmt(heapPerSiteKb)} / ${fmt(storePerSiteKb)} / ${fmt(rssPerSiteKb)}`, 'KB', '≤ 20'],
      ['status and heartbeats into the core (all regional links)', fmt(upBytes / IDLE_S), 'bytes/s', ''],
    ];
    console.log(`\nscale — real processes: 1 core, ${REGIONALS} regionals, ${SITES} sites on ${os.cpus().length} cores; idle measured over ${IDLE_S} s\n`);
    printTable(['metric', 'value', 'unit', 'target'], rows);
    return {
      sites: SITES, regionals: REGIONALS, startS, propagationP50Ms: percentile(latencies, 50), propagationP99Ms: percentile(latencies, 99), reparentAllMs: reparentMs,
      siteRssMbMedian: percentile(siteRss, 50), sitePssMbMedian: percentile(sitePss, 50), siteCpuPctMedian: percentile(siteCpu, 50), coreCpuPctSteady: cpuPct('core'), coreRssMb: rssMb('core'),
      coreBareRssMb: bareCore.rssKb / 1024, coreBytesPerSiteKb: heapPerSiteKb, coreStoreBytesPerSiteKb: storePerSiteKb, coreRssPerSiteKb: rssPerSiteKb, reportBytesPerSec: upBytes / IDLE_S,
    };
  } finally {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
