// Starts a local etcd cluster for a highly available core (`strata up` with a
// core group; the tests): Debian's `etcd` binary, one process per member,
// data under <data-dir>/etcd-N, loopback client and peer ports. It only
// launches and stops processes; Strata talks to etcd through core-group/.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Clock } from '../../kernel/clock';
import { NotFoundError, UnavailableError } from '../../kernel/errors';
import { ETCD_MAX_TXN_OPS } from './topology';

export interface EtcdMemberSpec {
  name: string;
  dataDir: string;
  clientPort: number;
  peerPort: number;
}

export interface EtcdProcess {
  spec: EtcdMemberSpec;
  process: ChildProcess;
  exited: Promise<void>;
}

const ETCD_BIN = process.env.STRATA_ETCD_BIN ?? 'etcd';

/** The etcd binary's version line; throws saying what to install when there is none. */
export function etcdVersion(): string {
  const result = spawnSync(ETCD_BIN, ['--version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new NotFoundError(`etcd is not installed (no \`${ETCD_BIN}\` on PATH): a highly available core keeps its state in etcd; install it with \`apt-get install -y etcd-server\` (or set STRATA_ETCD_BIN)`);
  }
  return result.stdout.split('\n')[0] ?? '';
}

/** Members named etcd-1…, client ports base, base+2, … and peer ports base+1, base+3, … */
export function etcdSpecs(count: number, basePort: number, dataDir: string): EtcdMemberSpec[] {
  return Array.from({ length: count }, (_, i) => ({ name: `etcd-${i + 1}`, dataDir: path.join(dataDir, `etcd-${i + 1}`), clientPort: basePort + 2 * i, peerPort: basePort + 2 * i + 1 }));
}

export function clientEndpoints(specs: readonly EtcdMemberSpec[], host = '127.0.0.1'): string[] {
  return specs.map((s) => `${host}:${s.clientPort}`);
}

/** Starts one member of the cluster `all` (its data dir kept across restarts). */
export function startEtcd(spec: EtcdMemberSpec, all: readonly EtcdMemberSpec[], host = '127.0.0.1'): EtcdProcess {
  etcdVersion();
  mkdirSync(spec.dataDir, { recursive: true, mode: 0o700 });
  const peer = (s: EtcdMemberSpec): string => `http://${host}:${s.peerPort}`;
  const args = [
    '--name', spec.name,
    '--data-dir', spec.dataDir,
    '--listen-client-urls', `http://${host}:${spec.clientPort}`,
    '--advertise-client-urls', `http://${host}:${spec.clientPort}`,
    '--listen-peer-urls', peer(spec),
    '--initial-advertise-peer-urls', peer(spec),
    '--initial-cluster', all.map((s) => `${s.name}=${peer(s)}`).join(','),
    '--initial-cluster-state', 'new',
    '--initial-cluster-token', 'strata-core',
    '--max-txn-ops', String(ETCD_MAX_TXN_OPS),
    '--max-request-bytes', String(16 * 1024 * 1024),
    '--auto-compaction-mode', 'periodic',
    '--auto-compaction-retention', '1h',
    '--heartbeat-interval', '100',
    '--election-timeout', '1000',
    '--logger', 'zap',
    '--log-level', 'warn',
  ];
  const log = createWriteStream(path.join(path.dirname(spec.dataDir), `${spec.name}.log`), { flags: 'a' });
  const child = spawn(ETCD_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { spec, process: child, exited };
}

/** Resolves once every member answers /health as healthy (a quorum is formed), or throws after timeoutMs. */
export async function waitEtcdHealthy(specs: readonly EtcdMemberSpec[], clock: Clock, timeoutMs: number, host = '127.0.0.1'): Promise<void> {
  const deadline = clock.nowMs() + timeoutMs;
  for (;;) {
    const healthy = await Promise.all(specs.map((s) => etcdHealthy(host, s.clientPort)));
    if (healthy.every(Boolean)) return;
    if (clock.nowMs() > deadline) {
      const why = specs.filter((_, i) => !healthy[i]).map((s) => `${s.name} (client port ${s.clientPort}): ${lastLogLines(s, 3)}`);
      throw new UnavailableError(`etcd did not become healthy within ${timeoutMs} ms; not healthy: ${why.join('; ')}; see ${path.dirname(specs[0]!.dataDir)}/etcd-N.log`);
    }
    await clock.sleep(200);
  }
}

/**
 * One GET /health of a member: true when it answers {"health":"true"}. Made with node:http, not
 * fetch(): fetch refuses the ports the WHATWG Fetch standard lists as unsafe, 10080 among them,
 * and `--base-port 10000` puts the first etcd member's client port exactly there.
 */
export function etcdHealthy(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host, port, path: '/health', timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { if (body.length < 4096) body += chunk; });
      response.on('end', () => {
        try {
          resolve(response.statusCode === 200 && (JSON.parse(body) as { health?: string }).health === 'true');
        } catch {
          resolve(false);
        }
      });
      response.on('error', () => resolve(false));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** The last `count` lines of a member's log, for an error message (what etcd said before it went quiet or exited). */
function lastLogLines(spec: EtcdMemberSpec, count: number): string {
  try {
    const lines = readFileSync(path.join(path.dirname(spec.dataDir), `${spec.name}.log`), 'utf8').trim().split('\n').filter(Boolean);
    return lines.length === 0 ? 'its log is empty' : `its log ends: ${lines.slice(-count).join(' | ')}`;
  } catch {
    return 'no log';
  }
}

/** SIGTERM (or `signal`), then SIGKILL if it has not exited within graceMs (a member that lost its quorum may hang). */
export async function stopEtcd(member: EtcdProcess, clock: Clock, signal: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<void> {
  if (member.process.exitCode !== null || member.process.signalCode !== null) return;
  member.process.kill(signal);
  let timer: { cancel(): void } | undefined;
  await Promise.race([member.exited, new Promise((resolve) => (timer = clock.setTimeout(() => resolve(undefined), graceMs)))]);
  timer?.cancel();
  if (member.process.exitCode === null && member.process.signalCode === null) member.process.kill('SIGKILL');
  await member.exited;
}
