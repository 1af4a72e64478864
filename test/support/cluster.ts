// A federation of real node processes (`strata node --config`) for
// integration tests: start, kill -9, restart, partition through a TcpProxy,
// and talk to any node over gRPC as a client would.

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { DEFAULT_TOPOLOGY_YAML, ETCD_PORT_OFFSET, instancesOf, membersOf, nodeConfigFor, parseTopology, type Topology } from '../../src/cli/up/topology';
import { etcdSpecs, startEtcd, stopEtcd, waitEtcdHealthy, type EtcdMemberSpec, type EtcdProcess } from '../../src/cli/up/etcd-launch';
import { ApiClient, type TopologyView } from '../../src/federation/client/api-client';
import { checkHealth, fetchNodeStatus } from '../../src/federation/client/status-client';
import { SystemClock } from '../../src/kernel/clock';
import { prepareTls } from '../../src/cli/up/up-tls';
import { ClientTls } from '../../src/federation/grpc/grpc-adapter';
import { eventually } from './eventually';
import { freeBasePort } from './ports';
import { STRATA_BIN } from './strata-cli';
import { TcpProxy } from './tcp-proxy';
import { nodeProcessEnv } from '../../src/cli/node-env';

/** The bundled demo topology, exactly as `strata up` runs it. */
export const DEMO_TOPOLOGY = DEFAULT_TOPOLOGY_YAML;

/** The smallest tree with every tier: core, a regional (eu) and a site (berlin) under it, with the core as its fallback. */
export const CORE_EU_BERLIN = `
federation: { domain: edge.example., baseDn: 'dc=edge,dc=example' }
nodes:
  - { name: core, tier: core }
  - { name: eu, tier: regional, parents: [core], portOffset: 10 }
  - { name: berlin, tier: site, parents: [eu, core], portOffset: 30 }
`;

export interface ClusterOptions {
  topology?: string;
  /** Extra config merged into every node (e.g. store.compaction, link timings). */
  nodeConfig?: Record<string, unknown>;
  /** node name → extra config for that node only, merged into each section (e.g. { berlin: { dns: { workers: 2 } } }). */
  perNode?: Record<string, Record<string, unknown>>;
  /** child name → route its link to its primary parent through a cuttable proxy. */
  proxied?: string[];
  /** Nodes starting at a time, in topology order (parents first), as `strata up` does; default: all at once. */
  startAtOnce?: number;
}

export class Cluster {
  readonly clock = new SystemClock();
  /** The operator's client identity (set when the federation's TLS is prepared). */
  tls: ClientTls = ClientTls.PLAINTEXT;
  readonly processes = new Map<string, ChildProcess>();
  readonly proxies = new Map<string, TcpProxy>();
  readonly grpc = new Map<string, string>();
  readonly dns = new Map<string, string>();
  readonly ntp = new Map<string, string>();
  readonly ldap = new Map<string, string>();
  readonly ldaps = new Map<string, string>();
  /** Each node's ops HTTP listener (/metrics, /readyz). */
  readonly http = new Map<string, string>();
  /** The federation CA, for clients that check the nodes' certificates. */
  caPem = '';
  private topology!: Topology;
  /** The etcd cluster of a core group (topology `members: N`), by member index 0…. */
  readonly etcd: EtcdProcess[] = [];
  etcdSpecs: EtcdMemberSpec[] = [];

  private constructor(readonly dataDir: string, readonly basePort: number) {}

  static async start(dataDir: string, options: ClusterOptions = {}): Promise<Cluster> {
    const cluster = new Cluster(dataDir, await freeBasePort());
    try {
      await cluster.configure(options);
      if (cluster.etcdSpecs.length > 0) {
        for (const spec of cluster.etcdSpecs) cluster.etcd.push(startEtcd(spec, cluster.etcdSpecs));
        // (Generous: on a loaded machine etcd's /health, a read through raft with a 1 s deadline, may fail for a while.)
        await waitEtcdHealthy(cluster.etcdSpecs, cluster.clock, 45_000);
      }
      const names = cluster.names();
      let next = 0;
      await Promise.all(Array.from({ length: Math.min(names.length, options.startAtOnce ?? names.length) }, async () => {
        while (next < names.length) await cluster.startNode(names[next++]!);
      }));
      await cluster.waitLinked();
    } catch (err) {
      // A node that failed to start must not leave its siblings running into the next suite
      // (every node's process is spawned before the first await, so stop() reaches them all).
      await cluster.stop().catch(() => undefined);
      throw err;
    }
    return cluster;
  }

  private async configure(options: ClusterOptions): Promise<void> {
    this.topology = parseTopology(options.topology ?? DEMO_TOPOLOGY, 'test topology');
    // As `strata up` does: the core's CA first, join tokens for the others, and this process trusts the CA.
    const tls = prepareTls(this.topology, this.dataDir, this.clock);
    this.caPem = tls.caPem;
    this.tls = new ClientTls(tls.operator); // the test acts as the operator, as the CLI does with strata up's data dir
    const group = this.topology.nodes.find((n) => membersOf(n) > 1);
    if (group) this.etcdSpecs = etcdSpecs(membersOf(group), this.basePort + ETCD_PORT_OFFSET, this.dataDir);
    for (const { instance, node, member } of instancesOf(this.topology)) {
      const security = tls.tokens[node.name] ? { security: { joinToken: tls.tokens[node.name] } } : {};
      const config = mergeSections({ ...nodeConfigFor(this.topology, node, this.basePort, this.dataDir, '127.0.0.1', member), ...security, ...options.nodeConfig }, options.perNode?.[instance]) as Record<string, unknown> & {
        parents?: Array<{ name: string; address: string }>;
        listen: { grpc: string; dns: string; ntp: string; ldap: string; ldaps: string; http: string };
      };
      if (options.proxied?.includes(instance) && config.parents?.[0]) {
        const [host, port] = config.parents[0].address.split(':');
        const proxy = new TcpProxy(host!, Number(port));
        await proxy.listen();
        this.proxies.set(instance, proxy);
        config.parents[0] = { ...config.parents[0], address: `127.0.0.1:${proxy.port}` };
      }
      this.grpc.set(instance, config.listen.grpc);
      this.dns.set(instance, config.listen.dns);
      this.ntp.set(instance, config.listen.ntp);
      this.ldap.set(instance, config.listen.ldap);
      this.ldaps.set(instance, config.listen.ldaps);
      this.http.set(instance, config.listen.http);
      mkdirSync(path.join(this.dataDir, instance), { recursive: true });
      writeFileSync(this.configFile(instance), stringify(config));
    }
  }

  configFile(name: string): string {
    return path.join(this.dataDir, name, 'node.yaml');
  }

  /** As `strata up` would write them to endpoints.json. */
  endpoints(): Array<{ name: string; tier: string; parents: string[]; pid: number; services: Record<string, string> }> {
    return this.topology.nodes.map((n) => ({
      name: n.name, tier: n.tier, parents: n.parents, pid: this.processes.get(n.name)?.pid ?? 0,
      services: { grpc: this.grpc.get(n.name)!, dns: this.dns.get(n.name)! },
    }));
  }

  /** Every process: each node's name, and core-2, core-3, … for the other members of a core group. */
  names(): string[] {
    return instancesOf(this.topology).map((i) => i.instance);
  }

  /** CLI arguments that reach node `name` and trust the federation CA (as with `strata up`'s data dir). */
  target(name: string): string[] {
    return ['--addr', this.grpc.get(name)!, '--data-dir', this.dataDir];
  }

  api(name: string): ApiClient {
    return new ApiClient(this.grpc.get(name)!, this.clock, this.tls);
  }

  /** The tier of instance `name` (a core group member's instance is named after its node). */
  tierOf(name: string): string {
    return instancesOf(this.topology).find((i) => i.instance === name)?.node.tier ?? 'site';
  }

  /** Env STRATA_CPU_PROF_DIR: each node writes a V8 CPU profile there when it exits on SIGTERM (for profiling under a bench). */
  async startNode(name: string): Promise<void> {
    const log = openSync(path.join(this.dataDir, name, 'node.log'), 'a');
    const child = spawn(process.execPath, [...(process.env.STRATA_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.STRATA_CPU_PROF_DIR}`] : []), STRATA_BIN, 'node', '--config', this.configFile(name)], { stdio: ['ignore', log, log], env: nodeProcessEnv(this.tierOf(name)) });
    closeSync(log);
    this.processes.set(name, child);
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`node ${name} exited with ${child.exitCode}: ${this.logTail(name)}`);
      if ((await checkHealth(this.grpc.get(name)!, this.clock, this.tls, '', 1000)) !== 'SERVING') throw new Error(`${name} not serving`);
    }, 20_000, 100);
  }

  /** The last lines of a node's log, for error messages (the data dir is gone after the test). */
  logTail(name: string, lines = 4): string {
    try {
      return readFileSync(path.join(this.dataDir, name, 'node.log'), 'utf8').trim().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** SIGKILL: the process dies at once, no clean-up. */
  async kill(name: string): Promise<void> {
    const child = this.processes.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(process.env.STRATA_CPU_PROF_DIR ? 'SIGTERM' : 'SIGKILL'); // a profile is written on a clean exit only
    await exited;
  }

  async stop(): Promise<void> {
    await Promise.all(this.names().map((n) => this.kill(n)));
    await Promise.all([...this.proxies.values()].map((p) => p.close()));
    await Promise.all(this.etcd.map((e) => stopEtcd(e, this.clock, 'SIGKILL')));
  }

  /** kill -9 etcd member `index` (0…). */
  async killEtcd(index: number): Promise<void> {
    await stopEtcd(this.etcd[index]!, this.clock, 'SIGKILL');
  }

  /** Starts etcd member `index` again on its data dir. */
  startEtcdMember(index: number): void {
    this.etcd[index] = startEtcd(this.etcdSpecs[index]!, this.etcdSpecs);
  }

  topologyAt(name: string): Promise<TopologyView> {
    return this.api(name).topology();
  }

  /** Wait until the core sees every node linked to its primary parent. */
  async waitLinked(timeoutMs = Math.max(20_000, this.names().length * 1000)): Promise<void> {
    const core = this.topology.nodes.find((n) => n.tier === 'core')!.name;
    await eventually(async () => {
      const view = await this.topologyAt(core);
      for (const node of this.topology.nodes) {
        if (node.tier === 'core') continue;
        const report = view.nodes.find((r) => r.name === node.name);
        if (!report?.connected || report.parent !== node.parents[0]) throw new Error(`${node.name} is not linked to ${node.parents[0]} yet: ${JSON.stringify(report)}`);
      }
      // Linked is not yet usable: each node must also have learned the federation (its directory's base DN) from its parent.
      await Promise.all(this.names().map(async (name) => {
        const status = await fetchNodeStatus(this.grpc.get(name)!, this.clock, this.tls);
        if (!status.baseDn) throw new Error(`${name} has not learned the federation from its parent yet`);
      }));
    }, timeoutMs, 100);
  }

  /** The node's settings replica: seq and every key/value. */
  async settings(name: string): Promise<{ seq: number; settings: Record<string, string> }> {
    const list = await this.api(name).listSettings();
    return { seq: list.seq, settings: Object.fromEntries(list.settings.map((s) => [s.key, s.value])) };
  }
}

/** `extra` over `base`, object sections merged one level deep. */
function mergeSections(base: Record<string, unknown>, extra: Record<string, unknown> | undefined): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(extra ?? {})) {
    const current = out[key];
    const isSection = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    out[key] = isSection(current) && isSection(value) ? { ...current, ...value } : value;
  }
  return out;
}
