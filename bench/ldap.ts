// The directory at enterprise size (issue 11): a Strata site of the 7-node
// demo against OpenLDAP's slapd (back-mdb, eq indexes) holding the same
// users, alternated in one run, 8 connections each (opened one after
// another as load grows), driven by a raw BER client (ldap-wire.ts) so the
// load generator costs little next to either server. Rows per directory
// size: simple binds/s, (uid=X) searches/s, a login as applications do it
// (search for the uid, then bind as the entry found), an authorisation
// check (&(uid=X)(memberOf=G)), and one (memberOf=G) search returning a
// 10,000-member group; import time (Strata online at the core until
// bindable at every site, slapd offline with slapadd) and the site's RSS.
// Both hold the same {SSHA} hashes, so binds measure the servers, not the
// hash.
// Needs Debian `slapd` (and ldap-utils' schema files it ships). Env:
// BENCH_USERS ("10000,100000"), BENCH_RUNS (3), BENCH_SECONDS (4),
// BENCH_WARMUP_RUNS (1: runs of every scenario at every server, and 5
// (memberOf=G) searches at each site, not counted; a warm-up run lasts
// BENCH_SECONDS or one second per 5,000 users, whichever is longer: at
// 100,000 users random reads take ~20 s to fill a site's caches and map the
// pages they need, in each of its processes),
// BENCH_LDAP_WORKERS (2): LDAP worker processes at paris, the second site
// measured (berlin serves LDAP in its node process). Beside them, the
// ceiling of Node's TCP path here: ldap-ceiling.js, as many processes as
// paris has workers, answering binds and searches with fixed bytes.

import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDemoData } from '../src/cli/up/demo-data';
import { SystemClock } from '../src/kernel/clock';
import { formatLdif } from '../src/directory/data/ldif';
import type { DirEntry } from '../src/directory/data/entry';
import { toWire } from '../src/federation/client/directory-wire';
import { Cluster } from '../test/support/cluster';
import { requireTools } from '../test/support/debian-tools';
import { freeBasePort } from '../test/support/ports';
import { bindOp, filter, searchOp, WireClient, type Reply } from './ldap-wire';
import { startSlapd, type Slapd } from './slapd';
import { fmt, percentile, printTable } from './table';
import { childrenOf } from '../test/support/processes';
import { spawn } from 'node:child_process';

const SIZES = (process.env.BENCH_USERS ?? '10000,100000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
/** A warm-up run reads about this many users a second at least: long enough for every server to have read each at random. */
const WARMUP_USERS_PER_SECOND = 5000;
const warmupSeconds = (users: number): number => Math.max(SECONDS, Math.ceil(users / WARMUP_USERS_PER_SECOND));
const WARMUP_RUNS = Number(process.env.BENCH_WARMUP_RUNS ?? 1);
const CONNECTIONS = 8;
const WORKERS = Number(process.env.BENCH_LDAP_WORKERS ?? 2);
const GROUP_MEMBERS = 10_000;
const BASE = 'dc=edge,dc=example';
const ADMIN = `cn=admin,${BASE}`;
const ADMIN_PASSWORD = 'admin-demo';
/** The account applications search as (mod_authnz_ldap's AuthLDAPBindDN, nslcd's binddn), with an {SSHA} hash like the users'. */
const SERVICE = `uid=svc,ou=people,${BASE}`;
const SERVICE_PASSWORD = 'svc-bench';
const GROUP = `cn=bench,ou=groups,${BASE}`;
const IMPORT_BATCH = 500;

const userDn = (i: number): string => `uid=user${i},ou=people,${BASE}`;

function ssha(password: string): string {
  const salt = randomBytes(8);
  return `{SSHA}${Buffer.concat([createHash('sha1').update(password).update(salt).digest(), salt]).toString('base64')}`;
}

function users(count: number): DirEntry[] {
  const entries: DirEntry[] = [];
  for (let i = 0; i < count; i++) {
    entries.push({
      dn: userDn(i),
      attrs: { objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'], uid: [`user${i}`], cn: [`User ${i}`], sn: [`${i}`], mail: [`user${i}@edge.example`], userPassword: [ssha(`pw${i}`)] },
    });
  }
  return entries;
}

function serviceAccount(): DirEntry {
  return { dn: SERVICE, attrs: { objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'], uid: ['svc'], cn: ['bench service'], sn: ['svc'], userPassword: [ssha(SERVICE_PASSWORD)] } };
}

function group(count: number): DirEntry {
  return { dn: GROUP, attrs: { objectClass: ['top', 'groupOfNames'], cn: ['bench'], member: Array.from({ length: Math.min(count, GROUP_MEMBERS) }, (_, i) => userDn(i)) } };
}

interface Load {
  perSecond: number;
  p50: number;
  p99: number;
}

function expect(reply: Reply, code: number, entries: number | undefined, what: string): void {
  if (reply.code !== code || (entries !== undefined && reply.entries !== entries)) {
    throw new Error(`${what}: result ${reply.code} with ${reply.entries} entries, expected ${code}${entries !== undefined ? ` with ${entries}` : ''}`);
  }
}

/**
 * CONNECTIONS clients running `op` back to back for `seconds`, counted once all are open. They open
 * one after another, each starting its load as soon as it is open, as an application's pool grows
 * under load: opened all at once, while the server is idle, they would all go to the one LDAP
 * worker that wakes first (README, Limits), and a 2-worker site would be measured as one worker.
 */
async function drive(address: string, users: number, seconds: number, prepare: (c: WireClient) => Promise<void>, op: (c: WireClient, user: number) => Promise<void>): Promise<Load> {
  const clients: WireClient[] = [];
  const loops: Array<Promise<void>> = [];
  const latencies: number[] = [];
  let end = Infinity;
  let counting = false;
  const load = async (c: WireClient): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      await op(c, Math.floor(Math.random() * users));
      if (counting) latencies.push(performance.now() - t0);
    }
  };
  try {
    for (let i = 0; i < CONNECTIONS; i++) {
      const c = await WireClient.connect(address);
      clients.push(c);
      await prepare(c);
      loops.push(load(c));
    }
    const start = performance.now();
    end = start + seconds * 1000;
    counting = true;
    await Promise.all(loops);
    return { perSecond: latencies.length / ((performance.now() - start) / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  } finally {
    end = 0;
    for (const c of clients) c.close();
    await Promise.allSettled(loops); // a failure above left the others running: they end with their connections
  }
}

const asService = async (c: WireClient): Promise<void> => expect(await c.request(bindOp(SERVICE, SERVICE_PASSWORD)), 0, undefined, 'service account bind');
const nothing = async (): Promise<void> => undefined;
const uidSearch = (i: number): Buffer => searchOp(`ou=people,${BASE}`, 2, filter.eq('uid', `user${i}`), ['uid', 'cn', 'mail']);

type Scenario = { key: string; title: string; target?: string; run(address: string, n: number, seconds: number): Promise<Load> };

const SCENARIOS: Scenario[] = [
  { key: 'bind', title: 'simple binds/s', target: '≥ 0.7 × slapd', run: (a, n, t) => drive(a, n, t, nothing, async (c, i) => expect(await c.request(bindOp(userDn(i), `pw${i}`)), 0, undefined, 'bind')) },
  { key: 'uid', title: '(uid=X) searches/s', target: '≥ 0.7 × slapd', run: (a, n, t) => drive(a, n, t, asService, async (c, i) => expect(await c.request(uidSearch(i)), 0, 1, `(uid=user${i})`)) },
  {
    key: 'login', title: 'logins/s (search uid, bind as it, bind back)', run: (a, n, t) => drive(a, n, t, asService, async (c, i) => {
      expect(await c.request(uidSearch(i)), 0, 1, 'login search');
      expect(await c.request(bindOp(userDn(i), `pw${i}`)), 0, undefined, 'login bind');
      await asService(c);
    }),
  },
  {
    key: 'authz', title: '(&(uid=X)(memberOf=G)) checks/s', run: (a, n, t) => drive(a, n, t, asService, async (c, i) => {
      const j = i % Math.min(n, GROUP_MEMBERS);
      expect(await c.request(searchOp(`ou=people,${BASE}`, 2, filter.and(filter.eq('uid', `user${j}`), filter.eq('memberOf', GROUP)), ['1.1'])), 0, 1, 'memberOf check');
    }),
  },
];

async function groupSearchMs(address: string, members: number): Promise<number> {
  const c = await WireClient.connect(address);
  try {
    expect(await c.request(bindOp(ADMIN, ADMIN_PASSWORD)), 0, undefined, 'admin bind'); // no size limit
    const search = (): Buffer => searchOp(BASE, 2, filter.eq('memberOf', GROUP), ['1.1']);
    // Uncounted, as every scenario's warm-up run: the first searches after the runs above find the
    // members' entries out of the caches (at 100,000 users the random users read last are there) and cold JIT.
    for (let i = 0; i < WARMUP_RUNS * 5; i++) expect(await c.request(search()), 0, members, '(memberOf=G) warm-up');
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      expect(await c.request(search()), 0, members, '(memberOf=G)');
      times.push(performance.now() - t0);
    }
    process.stderr.write(`ldap: (memberOf=G) at ${address}: ${times.map((t) => t.toFixed(0)).join(', ')} ms\n`);
    return percentile(times, 50);
  } finally {
    c.close();
  }
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * Resident memory of a site run as several processes (the node and its LDAP
 * workers), in MB: each process's anonymous memory (heaps, stacks: its own),
 * plus each file they map (lmdb's map file, the node executable) counted once,
 * as much as the process holding most of it has resident (/proc/PID/smaps).
 * Summing their RSS instead counts the pages of the same map file once per
 * process: it reports memory the machine does not spend.
 */
function siteResidentMb(pids: number[]): number {
  let anonymousKb = 0;
  const fileKb = new Map<string, number>();
  for (const pid of pids) {
    const perFile = new Map<string, number>();
    let file: string | undefined;
    for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
      const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ (\S+) (\d+)/.exec(line);
      if (header) {
        file = header[2] === '0' ? undefined : `${header[1]}:${header[2]}`;
        continue;
      }
      const rss = /^Rss:\s+(\d+) kB/.exec(line);
      if (!rss) continue;
      if (file) perFile.set(file, (perFile.get(file) ?? 0) + Number(rss[1]));
      else anonymousKb += Number(rss[1]);
    }
    for (const [key, kb] of perFile) fileKb.set(key, Math.max(fileKb.get(key) ?? 0, kb));
  }
  return (anonymousKb + [...fileKb.values()].reduce((a, b) => a + b, 0)) / 1024;
}

type Row = { metric: string; target: string; values: string[] };

async function oneSize(n: number, rows: Row[]): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-bench-ldap-'));
  const entries = [serviceAccount(), ...users(n)];
  const grp = group(n);
  const ldif = path.join(dir, 'users.ldif');
  const top: DirEntry[] = [
    { dn: BASE, attrs: { objectClass: ['top', 'dcObject', 'organization'], dc: ['edge'], o: ['edge'] } },
    { dn: `ou=people,${BASE}`, attrs: { objectClass: ['top', 'organizationalUnit'], ou: ['people'] } },
    { dn: `ou=groups,${BASE}`, attrs: { objectClass: ['top', 'organizationalUnit'], ou: ['groups'] } },
  ];
  writeFileSync(ldif, formatLdif([...top, ...entries, grp]).replace(/^version: 1\n\n/, '')); // slapadd reads a version line followed by a blank one as an entry with no DN
  const cluster = await Cluster.start(path.join(dir, 'strata'), { perNode: { paris: { directory: { workers: WORKERS } } } });
  let slapd: Slapd | undefined;
  let ceiling: ReturnType<typeof spawn> | undefined;
  try {
    await loadDemoData(cluster.endpoints(), cluster.basePort + 90, new SystemClock(), cluster.tls);
    process.stderr.write(`ldap: importing ${n} users at the core…\n`);
    const t0 = performance.now();
    const api = cluster.api('core').keepChannel();
    try {
      for (let i = 0; i < entries.length; i += IMPORT_BATCH) {
        await api.unary('DirectoryService', 'PutEntries', { entries: entries.slice(i, i + IMPORT_BATCH).map(toWire), replace: false });
      }
      await api.unary('DirectoryService', 'PutEntries', { entries: [toWire(grp)], replace: false });
    } finally {
      api.close();
    }
    const importedMs = performance.now() - t0;
    const last = n - 1;
    const sites = cluster.names().filter((name) => !['core', 'eu', 'us'].includes(name));
    await Promise.all(sites.map(async (site) => {
      for (;;) {
        const c = await WireClient.connect(cluster.ldap.get(site)!);
        const reply = await c.request(bindOp(userDn(last), `pw${last}`));
        c.close();
        if (reply.code === 0) return;
        await new Promise((r) => setTimeout(r, 200));
      }
    }));
    const bindableMs = performance.now() - t0;
    const berlin = cluster.ldap.get('berlin')!;
    const paris = cluster.ldap.get('paris')!;
    const berlinPid = cluster.processes.get('berlin')!.pid!;
    const parisPids = (): number[] => [cluster.processes.get('paris')!.pid!, ...childrenOf(cluster.processes.get('paris')!.pid!)];
    const rssImported = rssMb(berlinPid);
    const rssParisImported = parisPids().reduce((sum, pid) => sum + rssMb(pid), 0);
    const residentParisImported = siteResidentMb(parisPids());
    const ceilingAddress = `127.0.0.1:${(await freeBasePort(2)) + 1}`;
    ceiling = spawn(process.execPath, [path.join(__dirname, 'ldap-ceiling.js'), ceilingAddress.split(':')[1]!, String(Math.max(1, WORKERS))], { stdio: 'ignore' });
    slapd = await startSlapd(path.join(dir, 'slapd'), (await freeBasePort(10)) + 7, BASE, ADMIN_PASSWORD, ldif, () => performance.now());
    const results = new Map<string, { strata: Load[]; workers: Load[]; slapd: Load[]; ceiling: Load[] }>();
    const none = { perSecond: NaN, p50: NaN, p99: NaN };
    // Uncounted: every server's caches, page mappings and JIT warm before the runs measured (a site serves for days).
    for (let run = 1; run <= WARMUP_RUNS; run++) {
      process.stderr.write(`ldap: ${n} users, warm-up ${run}/${WARMUP_RUNS}…\n`);
      for (const s of SCENARIOS) {
        for (const address of [berlin, ...(WORKERS > 0 ? [paris] : []), ...(s.key === 'authz' ? [] : [slapd.address])]) await s.run(address, n, warmupSeconds(n));
        if (s.key !== 'authz') await s.run(ceilingAddress, n, SECONDS); // fixed answers: nothing to warm but the JIT
      }
    }
    for (let run = 1; run <= RUNS; run++) {
      process.stderr.write(`ldap: ${n} users, run ${run}/${RUNS}…\n`);
      for (const s of SCENARIOS) {
        const r = results.get(s.key) ?? { strata: [], workers: [], slapd: [], ceiling: [] };
        r.strata.push(await s.run(berlin, n, SECONDS));
        r.workers.push(WORKERS > 0 ? await s.run(paris, n, SECONDS) : none);
        r.slapd.push(s.key === 'authz' ? none : await s.run(slapd.address, n, SECONDS));
        r.ceiling.push(s.key === 'authz' ? none : await s.run(ceilingAddress, n, SECONDS));
        results.set(s.key, r);
      }
    }
    const groupMs = await groupSearchMs(berlin, Math.min(n, GROUP_MEMBERS));
    const groupMsWorkers = WORKERS > 0 ? await groupSearchMs(paris, Math.min(n, GROUP_MEMBERS)) : NaN;
    const median = (xs: number[]): number => percentile(xs, 50);
    const label = `${n.toLocaleString('en-US')} users`;
    const latency = (loads: Load[]): string => `${fmt(median(loads.map((l) => l.p50)))} / ${fmt(median(loads.map((l) => l.p99)))}`;
    for (const s of SCENARIOS) {
      const r = results.get(s.key)!;
      const [a, w, b, c] = [r.strata, r.workers, r.slapd, r.ceiling].map((loads) => median(loads.map((l) => l.perSecond))) as [number, number, number, number];
      const ratio = (x: number): string => (Number.isFinite(x) && Number.isFinite(b) ? (x / b).toFixed(2) : '–');
      rows.push({ metric: `${label}: ${s.title}`, target: s.target ?? '', values: [fmt(a), fmt(w), fmt(b), `${ratio(a)} / ${ratio(w)}`, `${fmt(c)} (${ratio(c)})`] });
      rows.push({ metric: '  p50 / p99 (ms)', target: '', values: [latency(r.strata), latency(r.workers), latency(r.slapd), '', latency(r.ceiling)] });
    }
    rows.push({ metric: `${label}: (memberOf=G) of ${Math.min(n, GROUP_MEMBERS).toLocaleString('en-US')} members (ms, median of 5 after ${WARMUP_RUNS * 5} uncounted)`, target: '< 50', values: [fmt(groupMs), fmt(groupMsWorkers), '–', '', ''] });
    rows.push({ metric: `${label}: import (s): Strata online until bindable at every site; slapadd offline`, target: n >= 100_000 ? '≤ 60' : '', values: [fmt(bindableMs / 1000), '', fmt(slapd.loadMs / 1000), '', ''] });
    rows.push({ metric: '  of which the API calls at the core (s)', target: '', values: [fmt(importedMs / 1000), '', '', '', ''] });
    rows.push({ metric: `${label}: memory of the site once imported (MB; with workers: all its processes, a file they share counted once)`, target: '≤ 400', values: [fmt(rssImported), fmt(residentParisImported), '', '', ''] });
    rows.push({ metric: '  the same as the sum of the processes\' RSS (MB)', target: '', values: [fmt(rssImported), fmt(rssParisImported), '', '', ''] });
    rows.push({ metric: '  after the runs above: site / slapd (MB)', target: '', values: [fmt(rssMb(berlinPid)), fmt(siteResidentMb(parisPids())), fmt(rssMb(slapd.process.pid!)), '', ''] });
  } finally {
    await slapd?.stop();
    ceiling?.kill('SIGTERM');
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function ldap(): Promise<void> {
  requireTools(['slapd', 'slapadd']);
  const rows: Row[] = [];
  for (const n of SIZES) await oneSize(n, rows);
  const header = ['metric', 'Strata site (node)', `Strata site (${WORKERS} LDAP workers)`, 'slapd', 'ratio to slapd', `Node TCP ceiling, ${Math.max(1, WORKERS)} processes (× slapd)`, 'target'];
  const table = rows.map((r) => [r.metric, ...r.values, r.target]);
  console.log(`\nldap — two sites of the demo (berlin: LDAP in the node process; paris: ${WORKERS} LDAP worker processes) against slapd (back-mdb, eq indexes), ${CONNECTIONS} connections, raw BER client; medians of ${RUNS} alternated runs of ${SECONDS} s after ${WARMUP_RUNS} uncounted warm-up run(s) of each (at ${SIZES.map((n) => `${n.toLocaleString('en-US')} users ${warmupSeconds(n)} s`).join(', ')}); ${os.cpus().length} cores`);
  console.log('the same users and {SSHA} hashes in both; searches bound as a service account (uid=svc), asking for uid, cn, mail\n');
  printTable(header, table);
}
