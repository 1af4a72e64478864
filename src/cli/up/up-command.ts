// `strata up [TOPOLOGY.yaml]`: launches a whole federation on loopback, one
// OS process per node, writes endpoints.json once all are ready, prints the
// endpoints and stays in the foreground until Ctrl-C, then stops every node.
// A node that dies is reported, not restarted.

import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SystemClock, isoTime } from '../../kernel/clock';
import { LockedError, StrataError } from '../../kernel/errors';
import { buildConfig } from '../../node/config';
import { nodeProcessEnv } from '../node-env';
import { DataDirLock } from '../../node/data-dir-lock';
import { keepPrivate, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../node/private-files';
import { DEMO_INSTANCES, DEMO_PASSWORDS, loadDemoData, startDemoBackends } from './demo-data';
import { prepareTls } from './up-tls';
import { ClientTls } from '../../federation/client';
import { ENDPOINTS_FILE, writeEndpoints, type EndpointNode } from './endpoints';
import type { FailedMessage, ReadyMessage } from '../node-command';
import { defaultTopology, ETCD_PORT_OFFSET, instancesOf, loadTopology, membersOf, nodeConfigFor, parseTopology, portOffsetOf, toYaml, type Topology, type TopologyNode } from './topology';
import { etcdSpecs, etcdVersion, startEtcd, stopEtcd, waitEtcdHealthy, type EtcdProcess } from './etcd-launch';

export interface UpOptions {
  topologyFile?: string;
  /** A topology given as text (e.g. generatedTopologyYaml), instead of a file. */
  topologyText?: { text: string; source: string };
  basePort: number;
  dataDir: string;
  readyTimeoutMs: number;
  out: (line: string) => void;
}

const STRATA_BIN = path.resolve(__dirname, '../../../../bin/strata');
const STOP_WAIT_MS = 6000;
/** Nodes starting at the same time (each enrols, opens its store, binds its listeners). */
const STARTING_AT_ONCE = Math.max(4, 2 * os.cpus().length);
/** `strata up`'s own lock on its data dir. */
const UP_PID_FILE = 'up.pid';
const JOIN_TOKEN_FILE = 'join.token';
/** The demo's api backends listen on base port + this, on 127.0.10.1, 127.0.30.1 and 127.0.50.1. */
const DEMO_BACKEND_OFFSET = 90;
const clock = new SystemClock();

/** How long a new etcd cluster may take to elect its first leader. */
const ETCD_READY_MS = 30_000;

interface Child {
  node: TopologyNode;
  /** The process: the node's name, or core-2, core-3, … for the other members of a core group. */
  instance: string;
  process: ChildProcess;
  log: WriteStream;
  lastError: string;
  exited: Promise<void>;
  alive: boolean;
}

/** `strata up --check`: the topology and the config of every node it would start, validated; nothing started or written. */
export function checkUp(topologyFile: string | undefined, basePort: number, dataDir: string, topologyText?: UpOptions['topologyText']): string {
  const topology = topologyText ? parseTopology(topologyText.text, topologyText.source) : topologyFile ? loadTopology(topologyFile) : defaultTopology();
  topologyFile ??= topologyText?.source;
  for (const { instance, node, member } of instancesOf(topology)) buildConfig(nodeConfigFor(topology, node, basePort, path.resolve(dataDir), '127.0.0.1', member), `${topologyFile ?? 'the demo topology'}: node ${instance}`, path.resolve(dataDir));
  const group = topology.nodes.find((n) => membersOf(n) > 1);
  if (group) etcdVersion(); // says what to install
  return `${topologyFile ?? 'the demo topology'}: OK — ${topology.nodes.length} nodes (${topology.nodes.map((n) => `${n.name}/${n.tier}${membersOf(n) > 1 ? ` ×${membersOf(n)} members on etcd` : ''}`).join(', ')}), ports ${basePort}–${basePort + Math.max(...instancesOf(topology).map((i) => portOffsetOf(topology, i.node.name, i.member)), group ? ETCD_PORT_OFFSET + 2 * membersOf(group) : 0) + 9}`;
}

export async function runUp(options: UpOptions): Promise<void> {
  const topology = options.topologyText ? parseTopology(options.topologyText.text, options.topologyText.source) : options.topologyFile ? loadTopology(options.topologyFile) : defaultTopology();
  const dataDir = path.resolve(options.dataDir);
  // Every lock is checked before any file is touched: a refused second launch must not harm the running one.
  const lock = new DataDirLock(dataDir, UP_PID_FILE);
  lock.acquire();
  try {
    checkNodesStopped(topology, dataDir);
  } catch (err) {
    lock.release();
    throw err;
  }
  keepPrivate(dataDir);
  rmSync(path.join(dataDir, ENDPOINTS_FILE), { force: true });
  const tls = prepareTls(topology, dataDir, clock);
  const operatorTls = new ClientTls(tls.operator);
  const instances = instancesOf(topology);
  const group = topology.nodes.find((n) => membersOf(n) > 1);
  let etcd: EtcdProcess[] = [];
  // Launched in order (parents first), at most STARTING_AT_ONCE starting at a time: dozens of nodes starting at once on
  // a small machine would each miss their readiness deadline.
  const children: Child[] = [];
  let shuttingDown = false;
  let backends: Array<{ close(): void }> = [];
  const shutdown = async (code: number): Promise<never> => {
    shuttingDown = true;
    for (const backend of backends) backend.close();
    await stopAll(children.filter(Boolean));
    await Promise.all(etcd.map((e) => stopEtcd(e, clock)));
    rmSync(path.join(dataDir, ENDPOINTS_FILE), { force: true });
    lock.release();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  const ready: ReadyMessage[] = [];
  const total = instances.length;
  const atOnce = Math.min(total, STARTING_AT_ONCE);
  const startedMs = clock.nowMs();
  try {
    if (group) {
      const specs = etcdSpecs(membersOf(group), options.basePort + ETCD_PORT_OFFSET, dataDir);
      options.out(`strata up: starting etcd (${specs.length} members, client ports ${specs.map((s) => s.clientPort).join(', ')}) for the core group ${group.name}: ${etcdVersion()}`);
      etcd = specs.map((spec) => startEtcd(spec, specs));
      await waitEtcdHealthy(specs, clock, ETCD_READY_MS);
    }
    options.out(`strata up: starting ${total} node${total === 1 ? '' : 's'} (${atOnce} at a time) in ${dataDir}`);
    let next = 0;
    let done = 0;
    await Promise.all(Array.from({ length: atOnce }, async () => {
      while (next < total && !shuttingDown) {
        const i = next++;
        const { instance, node, member } = instances[i]!;
        const child = (children[i] = launch(topology, node, member, instance, options.basePort, dataDir, tls.tokens[node.name]));
        ready[i] = await waitReady(child, options.readyTimeoutMs, dataDir);
        options.out(`  ${instance} (${node.tier}${membersOf(node) > 1 ? `, member ${member} of ${membersOf(node)}` : ''}) ready: ${++done}/${total} after ${((clock.nowMs() - startedMs) / 1000).toFixed(1)} s`);
      }
    }));
  } catch (err) {
    options.out(`strata up: ${(err as Error).message}`);
    return shutdown(1);
  }
  for (const child of children) {
    void child.exited.then(() => {
      if (!shuttingDown) options.out(`node ${child.instance} (pid ${child.process.pid}) exited: ${describeExit(child)}; not restarting. Log: ${path.join(dataDir, child.instance, 'node.log')}`);
    });
  }
  const endpoints: EndpointNode[] = children.map((child, i) => ({
    name: child.instance,
    tier: child.node.tier,
    parents: child.node.parents,
    pid: ready[i]!.pid,
    services: ready[i]!.services,
  }));
  const demo = !options.topologyFile && !options.topologyText;
  if (demo) {
    const backendPort = options.basePort + DEMO_BACKEND_OFFSET;
    try {
      backends = await startDemoBackends(backendPort);
      await loadDemoData(endpoints, backendPort, clock, operatorTls, topology.federation.baseDn);
    } catch (err) {
      options.out(`strata up: could not load the demo data: ${(err as Error).message}`);
    }
  }
  writeEndpoints(dataDir, { federation: topology.federation, startedAt: isoTime(clock.nowMs()), nodes: endpoints });
  printBanner(topology, endpoints, dataDir, options.out, demo);
  await new Promise<never>(() => undefined);
}

/** Refuses (changing nothing) when a node of this topology is running from this data dir. */
function checkNodesStopped(topology: Topology, dataDir: string): void {
  for (const { instance } of instancesOf(topology)) {
    const owner = new DataDirLock(path.join(dataDir, instance)).liveOwner();
    if (owner !== undefined) {
      throw new LockedError(`node ${instance} is running from ${path.join(dataDir, instance)} (process ${owner}); stop it (or the strata up that started it) first, or use another --data-dir; nothing was changed`);
    }
  }
}

function launch(topology: Topology, node: TopologyNode, member: number, instance: string, basePort: number, dataDir: string, joinToken: string | undefined): Child {
  const nodeDir = path.join(dataDir, instance);
  mkdirSync(nodeDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const configFile = path.join(nodeDir, 'node.yaml');
  // The token goes in a file of its own, which the node deletes once enrolled: the config keeps no secret.
  const tokenFile = path.join(nodeDir, JOIN_TOKEN_FILE);
  if (joinToken) writeFileSync(tokenFile, `${joinToken}\n`, { mode: PRIVATE_FILE_MODE });
  const config = { ...nodeConfigFor(topology, node, basePort, dataDir, '127.0.0.1', member), ...(joinToken ? { security: { joinTokenFile: tokenFile } } : {}) };
  writeFileSync(configFile, `# generated by 'strata up'; edits are overwritten on the next start\n${toYaml(config)}`, { mode: PRIVATE_FILE_MODE });
  const log = createWriteStream(path.join(nodeDir, 'node.log'), { flags: 'a', mode: PRIVATE_FILE_MODE });
  const proc = fork(STRATA_BIN, ['node', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: nodeProcessEnv(node.tier) });
  const child: Child = { node, instance, process: proc, log, lastError: '', alive: true, exited: Promise.resolve() };
  proc.stdout?.pipe(log, { end: false });
  proc.stderr?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    const lines = chunk.toString('utf8').trim().split('\n').filter(Boolean);
    if (lines.length > 0) child.lastError = lines[lines.length - 1]!;
  });
  child.exited = new Promise((resolve) => proc.once('exit', () => {
    child.alive = false;
    resolve();
  }));
  return child;
}

function waitReady(child: Child, timeoutMs: number, dataDir: string): Promise<ReadyMessage> {
  return new Promise((resolve, reject) => {
    const timer = clock.setTimeout(() => reject(new StrataError('UNAVAILABLE', `node ${child.instance} was not ready within ${timeoutMs} ms; see ${path.join(dataDir, child.instance, 'node.log')}`)), timeoutMs);
    child.process.on('message', (message: ReadyMessage | FailedMessage) => {
      timer.cancel();
      if (message.type === 'ready') resolve(message);
      else reject(new StrataError('UNAVAILABLE', `node ${child.instance} failed to start: ${message.error}`));
    });
    void child.exited.then(() => {
      timer.cancel();
      reject(new StrataError('UNAVAILABLE', `node ${child.instance} exited during start-up (${describeExit(child)})${child.lastError ? `: ${child.lastError}` : ''}`));
    });
  });
}

function describeExit(child: Child): string {
  const { exitCode, signalCode } = child.process;
  return signalCode ? `killed by ${signalCode}` : `exit code ${exitCode}`;
}

async function stopAll(children: Child[]): Promise<void> {
  for (const child of children) if (child.alive) child.process.kill('SIGTERM');
  const deadline = clock.sleep(STOP_WAIT_MS).then(() => 'timeout' as const);
  await Promise.race([Promise.all(children.map((c) => c.exited)), deadline]);
  for (const child of children) {
    if (child.alive) child.process.kill('SIGKILL');
  }
  await Promise.all(children.map((c) => c.exited));
  for (const child of children) child.log.end();
}

/** A node's zone as it will derive it: <name>.<primary parent's zone>; the core owns the domain. */
function zoneOf(topology: Topology, name: string): string {
  const node = topology.nodes.find((n) => n.name === name);
  const domain = topology.federation.domain.replace(/\.$/, '');
  if (!node || node.tier === 'core' || node.parents.length === 0) return domain;
  return `${name}.${zoneOf(topology, node.parents[0]!)}`;
}

function printBanner(topology: Topology, nodes: EndpointNode[], dataDir: string, out: (line: string) => void, demo: boolean): void {
  const services = ['grpc', 'dns', 'ldap', 'ntp', 'http', 'ldaps'].filter((s) => nodes.some((n) => n.services[s]));
  const header = ['node', 'tier', 'parents', 'pid', ...services];
  const rows = nodes.map((n) => [n.name, n.tier, n.parents.join(',') || '-', String(n.pid), ...services.map((s) => n.services[s] ?? '-')]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const site = nodes.find((n) => n.tier === 'site') ?? nodes[0]!;
  const dataFlag = path.relative(process.cwd(), dataDir) === 'strata-data' ? '' : ` --data-dir ${dataDir}`;
  out(`Strata federation ${topology.federation.domain} is up: ${nodes.length} nodes, data in ${dataDir}`);
  out('');
  out(line(header));
  for (const row of rows) out(line(row));
  out('');
  out('Try:');
  out(`  npx strata status${dataFlag}`);
  const dns = site.services.dns?.split(':');
  if (dns) {
    const domain = topology.federation.domain.replace(/\.$/, '');
    if (demo) out(`  dig @${dns[0]} -p ${dns[1]} api.svc.${domain}          # nearest healthy api instance, as ${site.name} sees it (${Object.values(DEMO_INSTANCES).join(', ')})`);
    out(`  dig @${dns[0]} -p ${dns[1]} ${demo ? `printer.${zoneOf(topology, site.name)}` : domain} ${demo ? 'A' : 'SOA'}`);
    out(`  npx strata record add web A 10.0.0.5 --node ${site.name}${dataFlag}`);
  }
  const ntp = site.services.ntp?.split(':');
  if (ntp) {
    out(`  npx strata time --node ${site.name}${dataFlag}`);
    out(`  chronyd -Q -f /dev/null "server ${ntp[0]} port ${ntp[1]} iburst maxsamples 4"   # chrony measures ${site.name}'s NTP, leaves the clock alone`);
  }
  const ldap = site.services.ldap;
  if (ldap) {
    const base = topology.federation.baseDn;
    if (demo) {
      out(`  ldapwhoami -x -H ldap://${ldap} -D uid=alice,ou=people,${base} -w ${DEMO_PASSWORDS['alice']}`);
      out(`  ldapsearch -x -H ldap://${ldap} -D uid=alice,ou=people,${base} -w ${DEMO_PASSWORDS['alice']} -b ou=people,${base} '(uid=bob)' cn mail memberOf`);
      const ldaps = site.services.ldaps;
      if (ldaps) out(`  LDAPTLS_CACERT=${path.join(dataDir, site.name, 'tls', 'ldaps.crt')} ldapwhoami -x -H ldaps://${ldaps} -D uid=alice,ou=people,${base} -w ${DEMO_PASSWORDS['alice']}`);
      out(`  Directory accounts (demo passwords): ${Object.entries(DEMO_PASSWORDS).map(([who, pw]) => `${who}/${pw}`).join(', ')}; cn=admin,${base} is the directory admin`);
    } else {
      out(`  ldapsearch -x -H ldap://${ldap} -s base -b '' namingContexts`);
    }
  }
  out(`  npx strata settings set motd "hello edge" --node ${site.name}${dataFlag}`);
  out(`  npx strata settings get motd --node ${nodes[nodes.length - 1]!.name}${dataFlag}`);
  if (site.services.http) out(`  curl -s http://${site.services.http}/metrics | head`);
  out('');
  out('Press Ctrl-C to stop every node.');
}
