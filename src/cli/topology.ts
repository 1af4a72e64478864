// The federation layout `strata up` launches: the bundled demo topology
// (DESIGN §1, a contract other tools rely on) or a YAML file of the same
// shape, and the per-node configs derived from it. It starts nothing.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import { ConfigError, errorMessage } from '../kernel/errors';
import { TIERS, type ServiceName } from '../node/config-schema';

/** Port offsets within a node's block: base + node offset + this. */
export const SERVICE_PORT_OFFSETS: Record<ServiceName, number> = { grpc: 0, dns: 1, ldap: 2, ntp: 3, http: 4, ldaps: 5 };

const topologyNode = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'expected a lowercase DNS label'),
  tier: z.enum(TIERS),
  parents: z.array(z.string()).default([]),
  portOffset: z.number().int().min(0).max(9990).optional(),
  members: z.number().int().min(1).max(7).optional().describe('core only: members of a highly available core group, with an etcd cluster of as many members (ports base + 80…)'),
  memberPortOffsets: z.array(z.number().int().min(0).max(9990)).optional().describe('port offsets of members 2… (default 70, 90, 100, 110, …)'),
  log: z.strictObject({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']) }).optional(),
  store: z.record(z.string(), z.unknown()).optional(),
});

const topologySchema = z.strictObject({
  federation: z.strictObject({ domain: z.string(), baseDn: z.string() }).default({ domain: 'edge.example.', baseDn: 'dc=edge,dc=example' }),
  directory: z.strictObject({ adminPassword: z.string().min(1).optional() }).default({}),
  nodes: z.array(topologyNode).min(1, 'a topology needs at least one node'),
});

export type Topology = z.output<typeof topologySchema>;
export type TopologyNode = Topology['nodes'][number];

export const DEFAULT_TOPOLOGY_YAML = `# Strata demo topology: one core, two regions, four sites.
# Ports: base port + portOffset + {0 gRPC, 1 DNS, 2 LDAP, 3 NTP, 4 HTTP, 5 LDAPS}.
federation:
  domain: edge.example.
  baseDn: dc=edge,dc=example
directory:
  adminPassword: admin-demo   # cn=admin,dc=edge,dc=example (demo only: loopback)
nodes:
  - { name: core, tier: core, portOffset: 0 }
  - { name: eu, tier: regional, parents: [core], portOffset: 10 }
  - { name: us, tier: regional, parents: [core], portOffset: 20 }
  - { name: berlin, tier: site, parents: [eu, core], portOffset: 30 }
  - { name: paris, tier: site, parents: [eu, core], portOffset: 40 }
  - { name: nyc, tier: site, parents: [us, core], portOffset: 50 }
  - { name: sfo, tier: site, parents: [us, core], portOffset: 60 }
`;

export function defaultTopology(): Topology {
  return parseTopology(DEFAULT_TOPOLOGY_YAML, 'the default topology');
}

export function loadTopology(file: string): Topology {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('', `cannot read topology file ${file}: ${(err as NodeJS.ErrnoException).code}; check the path`, { cause: err });
  }
  return parseTopology(text, file);
}

export function parseTopology(text: string, source: string): Topology {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new ConfigError('', `${source}: not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (err) {
    // yaml resolves aliases only here and throws a ReferenceError for one with no anchor
    // before it, or for too many of them (a "billion laughs" file).
    throw new ConfigError('', `${source}: not valid YAML: ${errorMessage(err)}`, { cause: err });
  }
  const result = topologySchema.safeParse(value ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    const what = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue.message;
    throw new ConfigError(`${source}: ${where || '(top level)'}`, what);
  }
  checkShape(result.data, source);
  return result.data;
}

function checkShape(topology: Topology, source: string): void {
  const names = new Map<string, TopologyNode>();
  topology.nodes.forEach((node, i) => {
    if (names.has(node.name)) throw new ConfigError(`${source}: nodes[${i}].name`, `node ${node.name} is listed twice`);
    names.set(node.name, node);
  });
  const cores = topology.nodes.filter((n) => n.tier === 'core');
  if (cores.length !== 1) throw new ConfigError(`${source}: nodes`, `expected exactly one node with tier core, found ${cores.length}`);
  topology.nodes.forEach((node, i) => {
    if ((node.members !== undefined || node.memberPortOffsets !== undefined) && node.tier !== 'core') throw new ConfigError(`${source}: nodes[${i}].members`, 'only the core runs as a group of members');
    node.parents.forEach((parent, j) => {
      if (!names.has(parent)) throw new ConfigError(`${source}: nodes[${i}].parents[${j}]`, `unknown node ${parent}; list it under nodes`);
    });
  });
}

export function portOffsetOf(topology: Topology, name: string, member = 1): number {
  const index = topology.nodes.findIndex((n) => n.name === name);
  const node = topology.nodes[index];
  if (member > 1) return node?.memberPortOffsets?.[member - 2] ?? DEFAULT_MEMBER_OFFSETS[member - 2]!;
  return node?.portOffset ?? index * 10;
}

/** Members 2… of a core group (member 1 is at the node's own offset); etcd takes base + 80…. */
const DEFAULT_MEMBER_OFFSETS = [70, 90, 100, 110, 120, 130];
export const ETCD_PORT_OFFSET = 80;
/** etcd's --max-txn-ops as `strata up` starts it (etcd-launch.ts): a write of up to 4,999 changes is one transaction. */
export const ETCD_MAX_TXN_OPS = 10_000;

/** How many members a node runs as (1 unless it is a core group). */
export function membersOf(node: TopologyNode): number {
  return node.members ?? 1;
}

/** The process a member of `node` is: `core` for member 1 (and for every other node), then `core-2`, `core-3`, … */
export function instanceName(node: TopologyNode, member: number): string {
  return member > 1 ? `${node.name}-${member}` : node.name;
}

/** Every process of the topology: one per node, one per member of a core group. */
export function instancesOf(topology: Topology): Array<{ instance: string; node: TopologyNode; member: number }> {
  return topology.nodes.flatMap((node) => Array.from({ length: membersOf(node) }, (_, i) => ({ instance: instanceName(node, i + 1), node, member: i + 1 })));
}

/** The node config file (as a user would write it) for one node of the topology (member `member` of a core group). */
export function nodeConfigFor(topology: Topology, node: TopologyNode, basePort: number, dataDir: string, host = '127.0.0.1', member = 1): Record<string, unknown> {
  const address = (name: string, service: ServiceName, m = 1): string => `${host}:${basePort + portOffsetOf(topology, name, m) + SERVICE_PORT_OFFSETS[service]}`;
  const listen = Object.fromEntries((Object.keys(SERVICE_PORT_OFFSETS) as ServiceName[]).map((s) => [s, address(node.name, s, member)]));
  const membersOfName = (name: string): number => membersOf(topology.nodes.find((n) => n.name === name)!);
  const group = membersOf(node) > 1;
  return {
    name: node.name,
    tier: node.tier,
    // A parent that is a core group is every one of its members, in order.
    ...(node.parents.length > 0 ? { parents: node.parents.flatMap((p) => Array.from({ length: membersOfName(p) }, (_, i) => ({ name: p, address: address(p, 'grpc', i + 1) }))) } : {}),
    dataDir: path.resolve(dataDir, instanceName(node, member)),
    ...(node.tier === 'core' ? { federation: topology.federation } : {}),
    ...(node.tier === 'core' && topology.directory.adminPassword ? { directory: { adminPassword: topology.directory.adminPassword } } : {}),
    listen,
    ...(node.log ? { log: node.log } : {}),
    ...(node.store ? { store: node.store } : {}),
    ...(group ? { core: { member: instanceName(node, member), etcd: { endpoints: Array.from({ length: membersOf(node) }, (_, i) => `${host}:${basePort + ETCD_PORT_OFFSET + 2 * i}`), maxTxnOps: ETCD_MAX_TXN_OPS } } } : {}),
  };
}

export function toYaml(value: unknown): string {
  return stringify(value);
}
