// The demo data `strata up` loads into the bundled topology (DESIGN §1): a
// service `api` with instances at core, berlin and nyc — each backed by a
// small HTTP server this process runs, so their health checks are real —
// a few records in each zone, and directory accounts (alice and bob in
// ou=people, a staff group, a device at berlin, alice as berlin's admin). Loaded through the public gRPC API, the
// way an operator would.

import http from 'node:http';
import type { Clock } from '../../kernel/clock';
import { ApiClient, type ClientTls } from '../../federation/client';
import type { EndpointNode } from './endpoints';

export const DEMO_INSTANCES: Record<string, string> = { core: '127.0.10.1', berlin: '127.0.30.1', nyc: '127.0.50.1' };

const DEMO_RECORDS: Array<[node: string, name: string, type: string, data: string]> = [
  ['core', 'www', 'A', '127.0.10.10'],
  ['core', '@', 'TXT', '"Strata demo federation"'],
  ['eu', 'gateway', 'A', '127.0.10.20'],
  ['us', 'gateway', 'A', '127.0.20.20'],
  ['berlin', 'printer', 'A', '127.0.30.20'],
  ['berlin', 'files', 'CNAME', 'printer'],
  ['paris', 'printer', 'A', '127.0.40.20'],
  ['nyc', 'printer', 'A', '127.0.50.20'],
  ['sfo', 'printer', 'A', '127.0.60.20'],
];

/** Demo directory accounts and their passwords, printed by `strata up` (loopback demo only). */
export const DEMO_PASSWORDS: Record<string, string> = { admin: 'admin-demo', alice: 'alice-demo', bob: 'bob-demo', 'sensor-1': 'sensor-demo' };

function demoEntries(base: string): Array<[node: string, replace: boolean, entries: Array<{ dn: string; attributes: Array<{ name: string; values: string[] }> }>]> {
  const entry = (dn: string, attrs: Record<string, string[]>) => ({ dn, attributes: Object.entries(attrs).map(([name, values]) => ({ name, values })) });
  const person = (uid: string, cn: string, sn: string) => entry(`uid=${uid},ou=people,${base}`, {
    objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'], uid: [uid], cn: [cn], sn: [sn], mail: [`${uid}@edge.example`], userPassword: [DEMO_PASSWORDS[uid]!],
  });
  const berlin = `ou=berlin,ou=sites,${base}`;
  return [
    ['core', false, [
      person('alice', 'Alice Example', 'Example'),
      person('bob', 'Bob Example', 'Example'),
      entry(`cn=staff,ou=groups,${base}`, { objectClass: ['top', 'groupOfNames'], cn: ['staff'], member: [`uid=alice,ou=people,${base}`, `uid=bob,ou=people,${base}`] }),
    ]],
    ['berlin', false, [
      entry(`ou=devices,${berlin}`, { objectClass: ['top', 'organizationalUnit'], ou: ['devices'] }),
      entry(`cn=sensor-1,ou=devices,${berlin}`, { objectClass: ['top', 'device', 'simpleSecurityObject'], cn: ['sensor-1'], description: ['demo device account at berlin'], userPassword: [DEMO_PASSWORDS['sensor-1']!] }),
    ]],
    ['berlin', true, [
      entry(`cn=admins,${berlin}`, { objectClass: ['top', 'groupOfNames'], cn: ['admins'], member: [`cn=admin,${base}`, `uid=alice,ou=people,${base}`], description: ['members may write ou=berlin'] }),
    ]],
  ];
}

/** HTTP backends for the demo instances; close them on shutdown. */
export async function startDemoBackends(port: number): Promise<http.Server[]> {
  const servers: http.Server[] = [];
  for (const [node, address] of Object.entries(DEMO_INSTANCES)) {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`api instance at ${node}\n`);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => resolve());
    });
    servers.push(server);
  }
  return servers;
}

/** `tls`: the operator's client identity (the demo data is written as an operator). */
export async function loadDemoData(nodes: EndpointNode[], backendPort: number, clock: Clock, tls: ClientTls, baseDn = 'dc=edge,dc=example'): Promise<void> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const client = (name: string): ApiClient | undefined => {
    const grpc = byName.get(name)?.services.grpc;
    return grpc ? new ApiClient(grpc, clock, tls) : undefined;
  };
  for (const [node, address] of Object.entries(DEMO_INSTANCES)) {
    await retry(clock, () => client(node)?.unary('ServiceRegistry', 'RegisterInstance', { node, service: 'api', address, port: backendPort, check: 'http', httpPath: '/', intervalMs: 2000, timeoutMs: 1000 }));
  }
  for (const [node, name, type, data] of DEMO_RECORDS) {
    await retry(clock, () => client(node)?.unary('RecordService', 'AddRecord', { zone: '', name, type, data, ttl: 60, hasTtl: true }));
  }
  for (const [node, replace, entries] of demoEntries(baseDn)) {
    await retry(clock, () => client(node)?.unary('DirectoryService', 'PutEntries', { entries, replace }), (err) => /already exists/.test((err as Error).message));
  }
}

/** The zone of a node is known a moment after it links; retry briefly. */
async function retry(clock: Clock, work: () => Promise<unknown> | undefined, done: (err: unknown) => boolean = () => false): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await work();
      return;
    } catch (err) {
      if (done(err)) return; // e.g. the demo entries are there from an earlier run
      if (attempt >= 50) throw err;
      await clock.sleep(200);
    }
  }
}
