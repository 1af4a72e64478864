// A whole federation in one process (issue 13): a core, regionals and sites,
// each the real Federation (link sessions, replication, routing, status) on
// its own lmdb store, linked by the in-memory transport with a latency per
// link. No DNS, LDAP, NTP or gRPC listeners: what scales or does not is the
// spine. Plaintext links (no certificates), real time.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Federation, type LinkSettings } from '../../src/federation/federation';
import type { GrpcServer } from '../../src/federation/grpc/grpc-adapter';
import { SystemClock } from '../../src/kernel/clock';
import { parseHostPort, type HostPort } from '../../src/kernel/host-port';
import { silentLogger, type Logger } from '../../src/kernel/log';
import { DEFAULT_LINK } from '../../src/node/config-schema';
import { Store } from '../../src/store';
import { MemoryTransport } from './memory-transport';

export interface SimOptions {
  dir: string;
  regionals: number;
  sites: number;
  /** One-way latency of every link (ms). */
  wanMs: number;
  link?: Partial<LinkSettings>;
  logger?: Logger;
  /** Nodes set up at a time while starting (each opens its store). */
  startAtOnce?: number;
  /** Stores in memory instead of lmdb (an lmdb environment takes 3 file descriptors: 10,000 nodes would pass the process's limit). */
  memoryStores?: boolean;
}

export interface SimNode {
  name: string;
  tier: 'core' | 'regional' | 'site';
  address: string;
  parents: Array<{ name: string; address: HostPort }>;
  store?: Store;
  federation?: Federation;
}

/** What Federation needs of a gRPC server here: somewhere to register services that nobody calls. */
function silentServer(): GrpcServer {
  return { addService: () => undefined, invoke: () => Promise.reject(new Error('no gRPC in the simulation')) } as unknown as GrpcServer;
}

export class Simulation {
  readonly clock = new SystemClock();
  readonly transport: MemoryTransport;
  readonly nodes = new Map<string, SimNode>();
  private readonly byAddress = new Map<string, SimNode>();
  private readonly link: LinkSettings;

  private constructor(private readonly options: SimOptions) {
    this.transport = new MemoryTransport(() => options.wanMs);
    this.transport.prober = (address) => {
      const node = this.byAddress.get(address);
      if (!node?.federation || !node.store) return undefined;
      return { upstreamConnected: node.federation.upstreamConnected(), datasets: node.store.datasets() };
    };
    this.link = { ...DEFAULT_LINK, ...options.link };
  }

  static async start(options: SimOptions): Promise<Simulation> {
    const sim = new Simulation(options);
    const add = (name: string, tier: SimNode['tier'], parents: string[]): void => {
      const i = sim.nodes.size;
      const address = `127.${100 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}:15300`;
      const node: SimNode = { name, tier, address, parents: parents.map((p) => ({ name: p, address: parseHostPort(sim.nodes.get(p)!.address) as HostPort })) };
      sim.nodes.set(name, node);
      sim.byAddress.set(address, node);
    };
    add('core', 'core', []);
    for (let r = 1; r <= options.regionals; r++) add(`r${r}`, 'regional', ['core']);
    for (let s = 1; s <= options.sites; s++) add(`s${s}`, 'site', [`r${((s - 1) % options.regionals) + 1}`, 'core']);
    const names = [...sim.nodes.keys()];
    let next = 0;
    await Promise.all(Array.from({ length: options.startAtOnce ?? 16 }, async () => {
      while (next < names.length) await sim.startNode(names[next++]!);
    }));
    return sim;
  }

  get sites(): string[] {
    return [...this.nodes.values()].filter((n) => n.tier === 'site').map((n) => n.name);
  }

  node(name: string): SimNode {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`no node ${name} in the simulation`);
    return node;
  }

  store(name: string): Store {
    const store = this.node(name).store;
    if (!store) throw new Error(`node ${name} is not running`);
    return store;
  }

  async startNode(name: string): Promise<void> {
    const node = this.node(name);
    const dir = path.join(this.options.dir, name);
    mkdirSync(dir, { recursive: true });
    const logger = this.options.logger?.child({ node: name }) ?? silentLogger();
    node.store = await Store.open({ dir, nodeName: name, clock: this.clock, logger, ...(this.options.memoryStores ? { engine: 'memory' as const } : {}) });
    node.federation = new Federation({
      name,
      tier: node.tier,
      parents: node.parents,
      federation: node.tier === 'core' ? { domain: 'edge.example.', baseDn: 'dc=edge,dc=example' } : undefined,
      link: this.link,
      tls: () => undefined,
      grpcAddress: () => node.address,
      dns: { zoneOverride: undefined, address: () => undefined },
      ntp: { address: () => undefined, clock: () => undefined },
      ldap: { address: () => undefined },
      startedAtMs: () => 0,
      transport: this.transport,
    }, silentServer(), this.clock, logger);
    this.transport.up(node.address);
    await node.federation.start(node.store);
  }

  /** As kill -9 would: its links end at once (the peers see a reset), then it is gone. */
  async kill(name: string): Promise<void> {
    const node = this.node(name);
    this.transport.kill(node.address, name);
    await node.federation?.stop();
    await node.store?.close();
    node.federation = undefined;
    node.store = undefined;
  }

  /** The node's uplinks blackholed (a partition below it and its parents), until heal(). */
  cut(name: string): void {
    this.transport.cut(name);
  }

  heal(name: string): void {
    this.transport.heal(name);
  }

  /** Resolves with the time (performance.now()) every node of `names` holds `dataset` at `seq`. */
  reached(names: readonly string[], dataset: string, seq: number, timeoutMs = 60_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const waiting = new Set(names.filter((n) => (this.store(n).dataset(dataset)?.seq ?? 0) < seq));
      if (waiting.size === 0) return resolve(performance.now());
      const unsubscribes: Array<() => void> = [];
      const done = (err?: Error): void => {
        clearTimeout(timer);
        for (const u of unsubscribes) u();
        if (err) reject(err);
        else resolve(performance.now());
      };
      const timer = setTimeout(() => done(new Error(`${waiting.size} nodes did not reach ${dataset} seq ${seq} within ${timeoutMs} ms: ${[...waiting].slice(0, 5).join(', ')}…`)), timeoutMs);
      for (const name of [...waiting]) {
        const store = this.store(name);
        unsubscribes.push(store.onChange((changed) => {
          if (!changed.includes(dataset) || (store.dataset(dataset)?.seq ?? 0) < seq) return;
          waiting.delete(name);
          if (waiting.size === 0) done();
        }));
      }
    });
  }

  /** Resolves once every node in `names` reports (at the core) being connected to one of `parents`. */
  async linked(names: readonly string[], parents: (name: string) => readonly string[], timeoutMs = 60_000): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const reports = new Map(this.node('core').federation!.reports().map((r) => [r.name, r]));
      const missing = names.filter((n) => {
        const r = reports.get(n);
        return !r?.connected || !parents(n).includes(r.parent ?? '');
      });
      if (missing.length === 0) return performance.now();
      if (performance.now() > deadline) throw new Error(`${missing.length} nodes not linked as expected within ${timeoutMs} ms: ${missing.slice(0, 5).map((n) => `${n} (${JSON.stringify(reports.get(n) && { parent: reports.get(n)!.parent, connected: reports.get(n)!.connected })})`).join(', ')}…`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    for (const node of [...this.nodes.values()].reverse()) {
      await node.federation?.stop().catch(() => undefined);
      await node.store?.close().catch(() => undefined);
    }
  }
}
