// DNS worker processes (dns.workers) with real processes and real clients:
// the workers share the node's UDP socket and answer from their packet
// caches; data changes reach every worker; a worker killed with -9 is
// replaced; a node killed with -9 takes its workers with it and restarts on
// the same port; TCP and malformed input are still the node's.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from '../support/cluster';
import { lookup4, rawQuery, sendRaw, tcpQuery } from '../support/dns-client';
import { eventually } from '../support/eventually';

const TOPOLOGY = `
federation: { domain: edge.example., baseDn: "dc=edge,dc=example" }
nodes:
  - { name: core, tier: core, portOffset: 0 }
  - { name: berlin, tier: site, parents: [core], portOffset: 30 }
`;
const TYPE_A = 1;

/** Live child processes of `pid` (the DNS workers of a node). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('DNS worker processes (real processes, real DNS clients)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let cluster: Cluster;

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-dns-workers-'));
    cluster = await Cluster.start(dataDir, { topology: TOPOLOGY, perNode: { berlin: { dns: { workers: 2 } } } });
  });

  afterEach(async () => {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const berlinDns = (): string => cluster.dns.get('berlin')!;
  const berlinPid = (): number => cluster.processes.get('berlin')!.pid!;

  it('answers from the workers, and a change reaches every worker within 1 s', async () => {
    const workers = childrenOf(berlinPid());
    assert.equal(workers.length, 2, 'two worker processes');
    const name = 'kiosk.berlin.edge.example';
    await eventually(async () => assert.equal(await lookup4(berlinDns(), name), 'NXDOMAIN'), 15_000, 100);
    // The workers read one shared socket: with one of them stopped, the other answers everything.
    const onlyThrough = async (worker: number, check: () => Promise<void>): Promise<void> => {
      const other = workers.find((w) => w !== worker)!;
      process.kill(other, 'SIGSTOP');
      try {
        await check();
      } finally {
        process.kill(other, 'SIGCONT');
      }
    };
    for (const worker of workers) await onlyThrough(worker, async () => {
      for (let i = 0; i < 5; i++) assert.equal(await lookup4(berlinDns(), name), 'NXDOMAIN', `worker ${worker} caches the NXDOMAIN`);
    });

    await cluster.api('berlin').unary('RecordService', 'AddRecord', { zone: '', name: 'kiosk', type: 'A', data: '127.0.30.77', ttl: 60, hasTtl: true });
    const added = Date.now();
    for (const worker of workers) await onlyThrough(worker, async () => {
      await eventually(async () => assert.deepEqual(await lookup4(berlinDns(), name), ['127.0.30.77'], `worker ${worker}`), Math.max(100, 1000 - (Date.now() - added)), 20);
    });

    const soa = await tcpQuery(berlinDns(), 'berlin.edge.example', 6);
    assert.equal(soa.aa, true, 'TCP is answered by the node process');
    assert.equal(soa.answers[0]?.type, 'SOA');
    await eventually(async () => {
      const metrics = await (await fetch(`http://127.0.0.1:${cluster.basePort + 34}/metrics`)).text();
      const cached = Number(/^strata_dns_responses_total\{transport="udp",rcode="cached"[^}]*\} (\d+)/m.exec(metrics)?.[1] ?? 0);
      assert.ok(cached >= 8, `answers from the workers' caches are counted: ${cached}`);
    }, 3000, 200);
  });

  it('a worker killed with -9 is replaced, and answering goes on', async () => {
    await eventually(async () => assert.equal((await rawQuery(berlinDns(), 'berlin.edge.example', 6)).aa, true), 15_000, 100);
    const [victim, survivor] = childrenOf(berlinPid());
    process.kill(victim!, 'SIGKILL');
    for (let i = 0; i < 20; i++) assert.equal((await rawQuery(berlinDns(), 'berlin.edge.example', 6)).rcode, 0, `query ${i} right after the kill`);
    await eventually(async () => {
      const workers = childrenOf(berlinPid());
      assert.equal(workers.length, 2, 'back to two workers');
      assert.ok(workers.includes(survivor!) && !workers.includes(victim!));
    }, 5000, 100);
    assert.equal(cluster.processes.get('berlin')!.exitCode, null, 'the node kept running');
  });

  it('a node killed with -9 takes its workers with it, and restarts on the same port', async () => {
    await eventually(async () => assert.equal((await rawQuery(berlinDns(), 'berlin.edge.example', 6)).aa, true), 15_000, 100);
    const workers = childrenOf(berlinPid());
    await cluster.kill('berlin');
    await eventually(async () => assert.deepEqual(workers.filter(alive), [], 'workers gone'), 3000, 50);
    await cluster.startNode('berlin');
    assert.equal((await rawQuery(berlinDns(), 'berlin.edge.example', 6)).aa, true, 'answering again after the restart');
  });

  it('malformed queries reach the node: FORMERR or dropped, counted, and normal queries still answered', async () => {
    await eventually(async () => assert.equal((await rawQuery(berlinDns(), 'berlin.edge.example', 6)).aa, true), 15_000, 100);
    const [host, port] = berlinDns().split(':');
    const header = Buffer.from([0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    const loop = await sendRaw(host!, Number(port), Buffer.concat([header, Buffer.from([0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01])]), 1000);
    assert.ok(loop, 'a compression loop is answered');
    assert.equal(loop.readUInt16BE(2) & 0x000f, 1, 'FORMERR');
    assert.equal(await sendRaw(host!, Number(port), Buffer.from([1, 2, 3]), 300), undefined, 'a truncated header is dropped');
    const answer = await rawQuery(berlinDns(), 'berlin.edge.example', TYPE_A);
    assert.equal(answer.rcode, 0);
    const metrics = await (await fetch(`http://127.0.0.1:${cluster.basePort + 34}/metrics`)).text();
    assert.match(metrics, /^strata_dns_malformed_total\{transport="udp"[^}]*\} [1-9]/m);
  });
});
