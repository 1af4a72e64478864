// DNS worker processes (dns.workers) with real processes and real clients:
// the workers share the node's UDP socket and answer from their packet
// caches and from the held zones (the node's store, read only); data changes
// reach every worker; a worker killed with -9 is
// replaced; a node killed with -9 takes its workers with it and restarts on
// the same port; TCP and malformed input are still the node's.

import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeQuery, encodeResponse } from '../../src/naming/server/dns2-adapter';
import { Cluster } from '../support/cluster';
import { lookup4, rawQuery, sendRaw, tcpQuery } from '../support/dns-client';
import { eventually } from '../support/eventually';
import { StrataProcess, isAlive } from '../support/strata-cli';
import { childrenOf } from '../support/processes';

const TOPOLOGY = `
federation: { domain: edge.example., baseDn: "dc=edge,dc=example" }
nodes:
  - { name: core, tier: core, portOffset: 0 }
  - { name: berlin, tier: site, parents: [core], portOffset: 30 }
`;
const TYPE_A = 1;

/** An upstream resolver that answers every A query with 192.0.2.1 after `delayMs`, counting queries. */
async function slowUpstream(delayMs: number): Promise<{ port: number; queries: () => number; close: () => void }> {
  const socket = dgram.createSocket('udp4');
  let queries = 0;
  socket.on('message', (message, rinfo) => {
    queries++;
    const name = 'www.example.org';
    const reply = encodeResponse({ id: message.readUInt16BE(0), opcode: 0, rd: true, ra: true, aa: false, rcode: 0, question: { name, type: TYPE_A, class: 1 }, answers: [{ name, type: 'A', ttl: 60, data: { address: '192.0.2.1' } }], authorities: [], additionals: [] });
    setTimeout(() => socket.send(reply, rinfo.port, rinfo.address), delayMs);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, queries: () => queries, close: () => socket.close() };
}

describe('DNS worker processes (real processes, real DNS clients)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let cluster: Cluster;
  let upstream: Awaited<ReturnType<typeof slowUpstream>>;

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-dns-workers-'));
    upstream = await slowUpstream(300);
    cluster = await Cluster.start(dataDir, { topology: TOPOLOGY, perNode: { berlin: { dns: { workers: 2 } }, core: { dns: { upstreams: [`127.0.0.1:${upstream.port}`] } } } });
  });

  afterEach(async () => {
    await cluster.stop();
    upstream.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const metric = async (pattern: RegExp): Promise<number> => {
    const metrics = await (await fetch(`http://127.0.0.1:${cluster.basePort + 34}/metrics`)).text();
    return [...metrics.matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0);
  };

  const berlinDns = (): string => cluster.dns.get('berlin')!;
  const berlinPid = (): number => cluster.processes.get('berlin')!.pid!;

  it('answers from the workers, and a change reaches every worker (a cached NXDOMAIN too)', async () => {
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
      await eventually(async () => assert.deepEqual(await lookup4(berlinDns(), name), ['127.0.30.77'], `worker ${worker}`), 10_000, 20);
    });
    console.log(`      (every worker answered the new record ${Date.now() - added} ms after it was added)`);

    const soa = await tcpQuery(berlinDns(), 'berlin.edge.example', 6);
    assert.equal(soa.aa, true, 'TCP is answered by the node process');
    assert.equal(soa.answers[0]?.type, 'SOA');
    // Answers from the workers' caches are counted by the node (reported every second).
    const cachedCount = (): Promise<number> => metric(/^strata_dns_responses_total\{transport="udp",rcode="0",cache="hit"[^}]*\} (\d+)/gm);
    // The baseline once it has settled (unchanged over a report period): hits from above may still be on their way into it.
    const before = await eventually(async () => {
      const first = await cachedCount();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      assert.equal(await cachedCount(), first);
      return first;
    }, 10_000, 0);
    for (const worker of workers) await onlyThrough(worker, async () => {
      for (let i = 0; i < 10; i++) assert.deepEqual(await lookup4(berlinDns(), name), ['127.0.30.77']);
    });
    // A data change elsewhere may empty the caches once meanwhile: most, not all, were hits.
    await eventually(async () => assert.ok((await cachedCount()) - before >= 10, `counted ${(await cachedCount()) - before} of 20`), 3000, 200);
  });

  it('concurrent misses for one question are asked of the node once, and each client gets its own ID', async () => {
    await eventually(async () => assert.equal((await rawQuery(berlinDns(), 'berlin.edge.example', 6)).aa, true), 15_000, 100);
    // Counted once the count has settled: the answers to the queries above may still be on their way into it
    // (a worker reports what it answered from the held zones every second).
    const computedBefore = await eventually(async () => {
      const first = await metric(/^strata_dns_responses_total\{transport="udp",rcode="0",cache="miss"[^}]*\} (\d+)/gm);
      await new Promise((resolve) => setTimeout(resolve, 1300));
      assert.equal(await metric(/^strata_dns_responses_total\{transport="udp",rcode="0",cache="miss"[^}]*\} (\d+)/gm), first);
      return first;
    }, 5000, 0);
    const [host, port] = berlinDns().split(':');
    const ids = Array.from({ length: 30 }, (_, i) => 0x1000 + i);
    const replies = await Promise.all(ids.map((id) => sendRaw(host!, Number(port), encodeQuery(id, 'www.example.org', TYPE_A), 3000)));
    replies.forEach((reply, i) => {
      assert.ok(reply, `client ${i} answered`);
      assert.equal(reply.readUInt16BE(0), ids[i], `client ${i} gets its own ID`);
      assert.equal(reply.readUInt16BE(2) & 0x000f, 0, 'NOERROR');
    });
    assert.equal(upstream.queries(), 1, 'one query reached the upstream');
    const computed = (await metric(/^strata_dns_responses_total\{transport="udp",rcode="0",cache="miss"[^}]*\} (\d+)/gm)) - computedBefore;
    assert.ok(computed <= 2, `the node computed ${computed} answers for 30 identical queries (one per worker at most)`);

    // Cached for its TTL, which counts down as it would at any resolver.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const later = await rawQuery(berlinDns(), 'www.example.org', TYPE_A);
    assert.ok(later.answers[0]!.ttl <= 58 && later.answers[0]!.ttl >= 50, `TTL aged from 60: ${later.answers[0]!.ttl}`);
    assert.equal(upstream.queries(), 1, 'still from cache');
  });

  it('workers answer held zones themselves, from the store: with the node process stopped (SIGSTOP), names, NODATA and never-seen NXDOMAIN still come back; names only the node answers wait for it', async () => {
    // berlin's zone exists once berlin answers for it (a record added before that is refused: no such dataset yet).
    await eventually(async () => assert.equal((await rawQuery(berlinDns(), 'berlin.edge.example', 6)).aa, true), 15_000, 100);
    await cluster.api('berlin').unary('RecordService', 'AddRecord', { zone: '', name: 'kiosk', type: 'A', data: '127.0.30.7', ttl: 60, hasTtl: true });
    await eventually(async () => assert.equal((await rawQuery(berlinDns(), 'kiosk.berlin.edge.example', TYPE_A)).answers.length, 1), 15_000, 100);
    const workers = childrenOf(berlinPid());
    assert.equal(workers.length, 2);
    process.kill(berlinPid(), 'SIGSTOP');
    try {
      // Never asked before (so no packet cache holds them): computed in a worker, or not answered at all.
      const fresh = `n${Date.now()}`;
      const record = await rawQuery(berlinDns(), `${fresh}.kiosk.berlin.edge.example`, TYPE_A, 2000).catch((err: Error) => err);
      assert.ok(!(record instanceof Error), `a never-seen name under a held zone is answered with the node stopped: ${String(record)}`);
      assert.equal(record.rcode, 3, 'NXDOMAIN');
      assert.equal(record.aa, true);
      const nodata = await rawQuery(berlinDns(), 'kiosk.berlin.edge.example', 16, 2000);
      assert.equal(nodata.rcode, 0);
      assert.equal(nodata.answers.length, 0, 'NODATA for TXT');
      assert.equal((await rawQuery(berlinDns(), 'kiosk.berlin.edge.example', 28, 2000)).aa, true, 'AAAA: NODATA, authoritative');
      // A service name is the node's (health, nearest instance): no answer while it is stopped.
      assert.equal(await sendRaw(berlinDns().split(':')[0]!, Number(berlinDns().split(':')[1]), encodeQuery(0x4242, `web${Date.now()}.svc.edge.example`, TYPE_A), 700), undefined, 'a service name waits for the node');
    } finally {
      process.kill(berlinPid(), 'SIGCONT');
    }
    assert.equal((await rawQuery(berlinDns(), 'berlin.edge.example', 6)).aa, true, 'the node answers again');
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
    assert.equal(workers.length, 2, 'the workers are seen before the kill (an empty list would make "gone" pass)');
    await cluster.kill('berlin');
    await eventually(async () => assert.deepEqual(workers.filter(isAlive), [], 'workers gone'), 3000, 50);
    await cluster.startNode('berlin');
    assert.equal((await rawQuery(berlinDns(), 'berlin.edge.example', 6)).aa, true, 'answering again after the restart');
  });

  it('malformed queries at a worker: FORMERR or dropped, counted at the node, and normal queries still answered', async () => {
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

  it('with port 0, every worker shares the one socket the first bind made', async () => {
    const dir = path.join(dataDir, 'port0');
    const config = path.join(dataDir, 'port0.yaml');
    writeFileSync(config, `name: solo\ntier: core\ndataDir: ${dir}\nfederation: { domain: solo.example., baseDn: "dc=solo,dc=example" }\nlisten: { grpc: 127.0.0.1:0, dns: 127.0.0.1:0, ntp: 127.0.0.1:0, http: 127.0.0.1:0 }\ndns: { workers: 2 }\ndirectory: { workers: 0 }\nlog: { level: info }\n`);
    const node = new StrataProcess(['node', '--config', config]);
    try {
      const dnsAddress = await eventually(async () => {
        const match = /"dns":"(127\.0\.0\.1:\d+)"/.exec(node.stdout);
        assert.ok(match, `node started: ${node.stderr}`);
        return match[1]!;
      }, 15_000, 100);
      assert.equal(childrenOf(node.child.pid!).length, 2, 'both workers up');
      assert.equal((await rawQuery(dnsAddress, 'solo.example', 6)).aa, true);
    } finally {
      node.kill('SIGKILL');
      await node.exited;
    }
  });
});
