// Time at the tiers against chronyd (issue 15): the core/eu/berlin tree of
// real node processes and a chronyd serving this machine's clock (`local
// stratum 1`, -x: it never touches the clock, its own config in a temp dir),
// both on the same host clock — so the true offset of every node is 0 and
// any offset a client measures is the server's error. Rows: NTP requests/s
// a site answers against chronyd's (the same UDP load generator, alternated)
// and the offset chronyd -Q (the full NTP client: filtering, sanity checks)
// measures at the core, the regional and the site, median and worst of
// BENCH_NTP_QUERIES runs (5). Then holdover: berlin with a host clock 250 ms
// off that gains 100 ppm, synchronised for BENCH_HOLDOVER_SYNC_S (120), its
// parents killed with -9, its worst offset over BENCH_HOLDOVER_MIN minutes
// (10; 0 skips it). Loaded: the same chronyd -Q at berlin while dnsperf
// sends berlin BENCH_NTP_DNS_QPS (20,000) DNS queries/s (0 skips it).
// Needs Debian `chrony` and `dnsperf`. Env: BENCH_RUNS (3), BENCH_SECONDS (3).

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CORE_EU_BERLIN, Cluster } from '../test/support/cluster';
import { requireTools } from '../test/support/debian-tools';
import { eventually } from '../test/support/eventually';
import { ntpQuery } from '../test/support/ntp-client';
import { freeBasePort } from '../test/support/ports';
import { fmt, percentile, printTable } from './table';

const run = promisify(execFile);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const QUERIES = Number(process.env.BENCH_NTP_QUERIES ?? 5);
const HOLDOVER_MIN = Number(process.env.BENCH_HOLDOVER_MIN ?? 10);
const HOLDOVER_SYNC_S = Number(process.env.BENCH_HOLDOVER_SYNC_S ?? 120);
const DNS_QPS = Number(process.env.BENCH_NTP_DNS_QPS ?? 20_000);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * berlin with a host clock 250 ms fast that gains 100 ppm, synchronised for HOLDOVER_SYNC_S, then
 * both its parents killed with -9: its offset from this machine's clock (the truth) every 10 s for
 * HOLDOVER_MIN minutes, each the least-delayed of 3 queries.
 */
async function holdover(dir: string): Promise<number[]> {
  const cluster = await Cluster.start(path.join(dir, 'holdover'), { topology: CORE_EU_BERLIN, perNode: { berlin: { time: { test: { skewMs: 250, driftPpm: 100 } } } } });
  try {
    await eventually(async () => {
      if ((await ntpQuery(cluster.ntp.get('berlin')!))?.stratum !== 12) throw new Error('berlin not synchronised yet');
    }, 30_000, 250);
    process.stderr.write(`ntp: holdover: synchronised; ${HOLDOVER_SYNC_S} s more, then its parents are killed…\n`);
    await sleep(HOLDOVER_SYNC_S * 1000);
    await Promise.all([cluster.kill('eu'), cluster.kill('core')]);
    const offsets: number[] = [];
    for (const end = Date.now() + HOLDOVER_MIN * 60_000; Date.now() < end; ) {
      await sleep(10_000);
      const replies = [];
      for (let i = 0; i < 3; i++) replies.push(await ntpQuery(cluster.ntp.get('berlin')!));
      const best = replies.filter((r) => r !== undefined).sort((a, b) => a!.delayMs - b!.delayMs)[0];
      offsets.push(best ? Math.abs(best.offsetMs) : Infinity);
    }
    return offsets;
  } finally {
    await cluster.stop();
  }
}
/** Requests each load socket keeps in flight. */
const WINDOW = 32;
const SOCKETS = 4;

/** A client request (mode 3, version 4) with a transmit timestamp that names it. */
function request(n: number): Buffer {
  const packet = Buffer.alloc(48);
  packet[0] = (4 << 3) | 3;
  packet.writeUInt32BE(n, 40);
  return packet;
}

/** Answers per second from `address` with SOCKETS sockets of WINDOW requests in flight, for SECONDS. */
async function load(address: string): Promise<number> {
  const [host, port] = [address.split(':')[0]!, Number(address.split(':')[1])];
  const sockets = await Promise.all(Array.from({ length: SOCKETS }, () => new Promise<dgram.Socket>((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.bind(0, '127.0.0.1', () => resolve(socket));
  })));
  let answered = 0;
  const end = performance.now() + SECONDS * 1000;
  const start = performance.now();
  await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => {
    let n = 0;
    const send = (): void => socket.send(request(n++), port, host);
    socket.on('message', () => {
      answered++;
      if (performance.now() < end) send();
    });
    for (let i = 0; i < WINDOW; i++) send();
    // Lost datagrams shrink the window: top it up every 50 ms.
    const topUp = setInterval(() => {
      if (performance.now() >= end) {
        clearInterval(topUp);
        resolve();
        return;
      }
      for (let i = 0; i < WINDOW / 4; i++) send();
    }, 50);
  })));
  const rate = answered / ((performance.now() - start) / 1000);
  for (const socket of sockets) socket.close();
  return rate;
}

/**
 * chronyd -Q at berlin QUERIES times while dnsperf sends berlin's DNS listener DNS_QPS queries/s (its own
 * zone's SOA, answered by berlin itself): the offsets (ms) and the queries/s dnsperf saw answered.
 */
async function underDnsLoad(cluster: Cluster, dir: string): Promise<{ offsets: number[]; qps: number }> {
  const file = path.join(dir, 'dns-queries');
  writeFileSync(file, 'berlin.eu.edge.example. SOA\nns.berlin.eu.edge.example. A\n');
  const [host, port] = cluster.dns.get('berlin')!.split(':');
  const seconds = QUERIES * 12 + 10;
  const dnsperf = run('dnsperf', ['-s', host!, '-p', port!, '-d', file, '-Q', String(DNS_QPS), '-c', '4', '-q', '500', '-l', String(seconds)], { maxBuffer: 64 * 1024 * 1024 });
  await sleep(3000);
  const offsets: number[] = [];
  for (let i = 1; i <= QUERIES; i++) {
    process.stderr.write(`ntp: chronyd -Q at berlin under ${DNS_QPS} DNS q/s, round ${i}/${QUERIES}…\n`);
    offsets.push(await chronydOffsetMs(cluster.ntp.get('berlin')!, dir));
  }
  const { stdout } = await dnsperf;
  return { offsets, qps: Number(/Queries per second:\s+([\d.]+)/.exec(stdout)?.[1] ?? NaN) };
}

/** chronyd -Q against `address`: the offset it measures (ms), or NaN when it found no usable source. */
async function chronydOffsetMs(address: string, dir: string): Promise<number> {
  const [host, port] = address.split(':');
  const chronyDir = mkdtempSync(path.join(dir, 'q-'));
  const { stdout, stderr } = await run('chronyd', ['-Q', '-t', '10', '-f', '/dev/null', `server ${host} port ${port} iburst maxsamples 6`, `pidfile ${chronyDir}/chronyd.pid`], { timeout: 20_000 })
    .catch((err: { stdout: string; stderr: string }) => err);
  const match = /System clock wrong by (-?[\d.]+) seconds/.exec(`${stdout}${stderr}`);
  return match ? Number(match[1]) * 1000 : NaN;
}

/** chronyd serving this machine's clock at stratum 1 on 127.0.0.1:`port` (never adjusting it). */
async function startChronyd(dir: string, port: number): Promise<{ address: string; process: ChildProcess }> {
  const config = path.join(dir, 'chrony.conf');
  writeFileSync(config, [`port ${port}`, 'bindaddress 127.0.0.1', 'allow 127.0.0.1', 'local stratum 1', 'cmdport 0', `pidfile ${dir}/chronyd.pid`, `driftfile ${dir}/drift`].join('\n'));
  const child = spawn('chronyd', ['-x', '-d', '-u', 'root', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const address = `127.0.0.1:${port}`;
  await eventually(async () => {
    const reply = await ntpQuery(address, 500);
    if (reply?.stratum !== 1) throw new Error(`chronyd not serving yet (stratum ${reply?.stratum}): ${log.slice(-500)}`);
  }, 20_000, 250);
  return { address, process: child };
}

export async function ntp(): Promise<void> {
  requireTools(DNS_QPS > 0 ? ['chronyd', 'dnsperf'] : ['chronyd']);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-bench-ntp-'));
  const cluster = await Cluster.start(path.join(dir, 'strata'), { topology: CORE_EU_BERLIN });
  let chronyd: ChildProcess | undefined;
  try {
    const server = await startChronyd(dir, (await freeBasePort(10)) + 3);
    chronyd = server.process;
    await eventually(async () => {
      if ((await ntpQuery(cluster.ntp.get('berlin')!))?.stratum !== 12) throw new Error('berlin not synchronised yet');
    }, 30_000, 250);
    // Let the nodes' polls settle (fast polls first, then longer).
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const rates = { strata: [] as number[], chronyd: [] as number[] };
    for (let i = 1; i <= RUNS; i++) {
      process.stderr.write(`ntp: requests/s, run ${i}/${RUNS}…\n`);
      rates.strata.push(await load(cluster.ntp.get('berlin')!));
      rates.chronyd.push(await load(server.address));
    }
    const offsets: Record<string, number[]> = {};
    for (let i = 1; i <= QUERIES; i++) {
      process.stderr.write(`ntp: chronyd -Q, round ${i}/${QUERIES}…\n`);
      for (const [name, address] of [['core', cluster.ntp.get('core')!], ['eu', cluster.ntp.get('eu')!], ['berlin', cluster.ntp.get('berlin')!], ['chronyd', server.address]] as const) {
        (offsets[name] ??= []).push(await chronydOffsetMs(address, dir));
      }
    }
    const median = (xs: number[]): number => percentile(xs, 50);
    const worst = (xs: number[]): number => Math.max(...xs.map(Math.abs));
    const us = (ms: number): string => (Number.isFinite(ms) ? fmt(ms * 1000) : 'no source');
    const rows: string[][] = [
      ['site (berlin) NTP requests/s', fmt(median(rates.strata)), fmt(median(rates.chronyd)), (median(rates.strata) / median(rates.chronyd)).toFixed(2), '≥ 0.9 × chronyd'],
      ...(['core', 'eu', 'berlin'] as const).map((name) => [
        `offset chronyd -Q measures at ${name} (µs): median / worst of ${QUERIES}`,
        `${us(median(offsets[name]!))} / ${us(worst(offsets[name]!))}`,
        `${us(median(offsets['chronyd']!))} / ${us(worst(offsets['chronyd']!))}`,
        '',
        '≤ 50 / ≤ 100',
      ]),
    ];
    if (DNS_QPS > 0) {
      const loaded = await underDnsLoad(cluster, dir);
      rows.push([
        `offset chronyd -Q measures at berlin while it answers ${fmt(loaded.qps)} DNS q/s (dnsperf asked ${fmt(DNS_QPS)}) (µs): median / worst of ${QUERIES}`,
        `${us(median(loaded.offsets))} / ${us(worst(loaded.offsets))}`,
        '',
        '',
        '≤ 200 (at 20k q/s)',
      ]);
    }
    if (HOLDOVER_MIN > 0) {
      const held = await holdover(dir);
      rows.push([`holdover: berlin (host clock +250 ms, gaining 100 ppm) after its parents are killed: worst / median offset, absolute, over ${HOLDOVER_MIN} min (ms)`, `${fmt(Math.max(...held))} / ${fmt(median(held))}`, '', '', '≤ 2 over 10 min']);
    }
    console.log(`\nntp — core → eu → berlin (real processes) against chronyd (local stratum 1, -x) on the same host clock: the true offset of every server is 0; ${SOCKETS} sockets × ${WINDOW} requests in flight, medians of ${RUNS} alternated runs of ${SECONDS} s; ${os.cpus().length} cores\n`);
    printTable(['metric', 'Strata', 'chronyd', 'ratio', 'target'], rows);
  } finally {
    chronyd?.kill('SIGTERM');
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
