// Naming with real node processes and real DNS clients (Node's resolver and
// raw UDP): nearest healthy service, failover of service answers, serving
// through a lost regional, record propagation, and malformed input.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadDemoData, startDemoBackends } from '../../src/cli/up/demo-data';
import { SystemClock } from '../../src/kernel/clock';
import { Cluster } from '../support/cluster';
import { lookup4, rawQuery, resolve4, resolverFor, sendRaw, sendThenQuery } from '../support/dns-client';
import { eventually } from '../support/eventually';
import { runStrata } from '../support/strata-cli';

const TYPE_A = 1;
const TYPE_SOA = 6;

describe('naming (real processes, real DNS clients)', function () {
  this.timeout(180_000);
  let dataDir: string;
  let cluster: Cluster | undefined;
  let backends: http.Server[] = [];

  async function startDemo(topology?: string): Promise<Cluster> {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-naming-'));
    cluster = await Cluster.start(dataDir, topology ? { topology } : {});
    const backendPort = cluster.basePort + 90;
    backends = await startDemoBackends(backendPort);
    await loadDemoData(cluster.endpoints().filter((e) => cluster!.names().includes(e.name)), backendPort, new SystemClock(), cluster!.tls);
    return cluster;
  }

  afterEach(async () => {
    for (const b of backends) b.close();
    backends = [];
    await cluster?.stop();
    cluster = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const dns = (name: string): string => cluster!.dns.get(name)!;

  it('1+2. answers the nearest healthy api instance at each tier, and fails over when it goes into maintenance', async () => {
    await startDemo();
    const expected: Record<string, string> = { berlin: '127.0.30.1', paris: '127.0.30.1', sfo: '127.0.50.1', core: '127.0.10.1', nyc: '127.0.50.1' };
    for (const [node, address] of Object.entries(expected)) {
      await eventually(async () => assert.deepEqual(await resolve4(dns(node), 'api.svc.edge.example'), [address], `at ${node}`), 15_000, 200);
    }
    const srv = await rawQuery(dns('berlin'), '_api._tcp.svc.edge.example', 33);
    assert.equal(srv.answers[0]?.type, 'SRV');
    assert.equal((srv.answers[0]!.data as { target: string }).target, 'api.svc.berlin.eu.edge.example');

    await cluster!.api('paris').unary('ServiceRegistry', 'SetMaintenance', { ref: { node: 'berlin', service: 'api', instance: '' }, enable: true });
    const since = Date.now();
    await eventually(async () => assert.deepEqual(await resolve4(dns('paris'), 'api.svc.edge.example'), ['127.0.10.1']), 2000 + 5000 + 1000, 100);
    console.log(`      (paris switched to the core's instance ${Date.now() - since} ms after berlin's went into maintenance)`);
    assert.deepEqual(await resolve4(dns('berlin'), 'api.svc.edge.example'), ['127.0.10.1'], 'berlin itself now asks upward too');
    assert.deepEqual(await resolve4(dns('berlin'), 'api.svc.berlin.eu.edge.example').catch((e: NodeJS.ErrnoException) => e.code), 'ENODATA', 'no healthy instance at berlin itself');
  });

  it('3. kill -9 of a regional: a site keeps answering the zones it holds, and reaches other regions once re-parented', async () => {
    await startDemo();
    await eventually(async () => assert.deepEqual(await resolve4(dns('paris'), 'printer.nyc.us.edge.example'), ['127.0.50.20']), 15_000, 200);
    await cluster!.kill('eu');
    for (const [name, type] of [['printer.paris.eu.edge.example', TYPE_A], ['gateway.eu.edge.example', TYPE_A], ['www.edge.example', TYPE_A], ['edge.example', TYPE_SOA]] as const) {
      const reply = await rawQuery(dns('paris'), name, type);
      assert.equal(reply.rcode, 0, name);
      assert.ok(reply.aa, `${name} is answered authoritatively from the replica`);
      assert.equal(reply.answers.length, 1, name);
    }
    await eventually(async () => assert.deepEqual(await resolve4(dns('paris'), 'printer.sfo.us.edge.example'), ['127.0.60.20']), 10_000, 100);
  });

  it('3b. a site cut off from every parent serves cached names stale (EDE 3) after their TTL, never-seen names fail with EDE 22', async () => {
    await startDemo(`
federation: { domain: edge.example., baseDn: 'dc=edge,dc=example' }
nodes:
  - { name: core, tier: core, portOffset: 0 }
  - { name: eu, tier: regional, parents: [core], portOffset: 10 }
  - { name: us, tier: regional, parents: [core], portOffset: 20 }
  - { name: berlin, tier: site, parents: [eu, core], portOffset: 30 }
  - { name: paris, tier: site, parents: [eu], portOffset: 40 }
  - { name: nyc, tier: site, parents: [us, core], portOffset: 50 }
`);
    await cluster!.api('nyc').unary('RecordService', 'AddRecord', { zone: '', name: 'short', type: 'A', data: '127.0.50.99', ttl: 2, hasTtl: true });
    // Asked at paris before the record reached the core, eu and paris would cache the core's NXDOMAIN for 30 s (SOA minimum), as any resolver does.
    await eventually(async () => assert.deepEqual(await resolve4(dns('core'), 'short.nyc.us.edge.example'), ['127.0.50.99']), 15_000, 100);
    await eventually(async () => assert.deepEqual(await resolve4(dns('paris'), 'short.nyc.us.edge.example'), ['127.0.50.99']), 15_000, 200);
    await cluster!.kill('eu');
    const cached = await rawQuery(dns('paris'), 'short.nyc.us.edge.example', TYPE_A);
    assert.deepEqual(cached.answers.map((r) => (r.data as { address: string }).address), ['127.0.50.99'], 'from the cache while fresh');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const stale = await rawQuery(dns('paris'), 'short.nyc.us.edge.example', TYPE_A);
    assert.equal(stale.rcode, 0);
    assert.deepEqual(stale.answers.map((r) => (r.data as { address: string }).address), ['127.0.50.99']);
    assert.equal(stale.answers[0]!.ttl, 30, 'a stale answer gets the stale TTL');
    assert.equal(stale.ede?.code, 3, 'Extended DNS Error 3: Stale Answer');
    const unseen = await rawQuery(dns('paris'), 'printer.nyc.us.edge.example', TYPE_A, 8000);
    assert.equal(unseen.rcode, 2);
    assert.equal(unseen.ede?.code, 22);
  });

  it('a site rebooted while cut off serves everything it held from its own disk, before talking to anyone', async () => {
    await startDemo();
    await eventually(async () => assert.deepEqual(await resolve4(dns('berlin'), 'api.svc.edge.example'), ['127.0.30.1']), 15_000, 200);
    for (const node of ['berlin', 'eu', 'core']) await cluster!.kill(node);
    await cluster!.startNode('berlin');
    for (const [name, type] of [['printer.berlin.eu.edge.example', TYPE_A], ['gateway.eu.edge.example', TYPE_A], ['www.edge.example', TYPE_A]] as const) {
      const reply = await rawQuery(dns('berlin'), name, type);
      assert.equal(reply.rcode, 0, name);
      assert.ok(reply.aa, `${name}: authoritative from the replica on disk`);
    }
    await eventually(async () => assert.deepEqual(await resolve4(dns('berlin'), 'api.svc.edge.example'), ['127.0.30.1']), 10_000, 200);
    const view = await cluster!.topologyAt('berlin');
    assert.equal(view.nodes[0]!.connected, false, 'and it says it has no parent link');
  });

  it('4. a record added at a site is answered at the core and in another region; removed, it is NXDOMAIN', async () => {
    await startDemo();
    await eventually(async () => assert.deepEqual(await resolve4(dns('berlin'), 'printer.berlin.eu.edge.example'), ['127.0.30.20']), 15_000, 200);
    await cluster!.api('berlin').unary('RecordService', 'AddRecord', { zone: '', name: 'kiosk', type: 'A', data: '127.0.30.77', ttl: 1, hasTtl: true });
    const added = Date.now();
    for (const node of ['core', 'sfo']) {
      await eventually(async () => assert.deepEqual(await lookup4(dns(node), 'kiosk.berlin.eu.edge.example'), ['127.0.30.77'], node), 10_000, 20);
    }
    console.log(`      (visible at core and sfo ${Date.now() - added} ms after the add returned)`);
    // The same as seen through the gRPC resolver and `strata resolve` at another region's site.
    const seen = await cluster!.api('sfo').unary<{ node: string; rcode: string; answers: Array<{ name: string; type: string; data: string }> }>('ResolverService', 'Resolve', { name: 'kiosk.berlin.eu.edge.example', type: 'A' });
    assert.deepEqual([seen.node, seen.rcode, seen.answers.map((a) => `${a.name} ${a.type} ${a.data}`)], ['sfo', 'NOERROR', ['kiosk.berlin.eu.edge.example. A 127.0.30.77']]);
    const cli = await runStrata(['resolve', 'kiosk.berlin.eu.edge.example', ...cluster!.target('core')]);
    assert.match(cli.stdout, /^core answers kiosk\.berlin\.eu\.edge\.example A: NOERROR \(authoritative\)\n {2}kiosk\.berlin\.eu\.edge\.example\. {2}1 {2}A {2}127\.0\.30\.77\n$/);
    const bad = await runStrata(['resolve', 'kiosk.berlin.eu.edge.example', 'HINFO', ...cluster!.target('core')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /cannot resolve type HINFO; use one of A, AAAA/);
    await cluster!.api('sfo').unary('RecordService', 'RemoveRecord', { zone: 'berlin.eu.edge.example.', name: 'kiosk', type: 'A', data: '127.0.30.77' });
    await eventually(async () => assert.equal(await lookup4(dns('core'), 'kiosk.berlin.eu.edge.example'), 'NXDOMAIN'), 10_000, 20);
    await eventually(async () => assert.equal(await lookup4(dns('sfo'), 'kiosk.berlin.eu.edge.example'), 'NXDOMAIN'), 1000 + 1000 + 30_000, 100);
  });

  it('every kind of answer decodes with c-ares (Node\'s dns.Resolver), a decoder independent of Strata\'s', async () => {
    await startDemo(`
federation: { domain: edge.example., baseDn: 'dc=edge,dc=example' }
nodes:
  - { name: core, tier: core, portOffset: 0 }
  - { name: eu, tier: regional, parents: [core], portOffset: 10 }
  - { name: berlin, tier: site, parents: [eu], portOffset: 30 }
`);
    const add = (name: string, type: string, data: string): Promise<unknown> => cluster!.api('berlin').unary('RecordService', 'AddRecord', { zone: '', name, type, data, ttl: 60, hasTtl: true });
    await add('v6', 'AAAA', '2001:db8::5');
    await add('alias', 'CNAME', 'printer');
    await add('note', 'TXT', '"hello edge" "second"');
    await add('@', 'MX', '10 mail.berlin.eu.edge.example.');
    await add('_ldap._tcp', 'SRV', '0 5 389 ldap.berlin.eu.edge.example.');
    const resolver = resolverFor(dns('berlin'));
    const zone = 'berlin.eu.edge.example';
    await eventually(async () => assert.deepEqual(await resolver.resolve4(`printer.${zone}`), ['127.0.30.20']), 10_000, 100);
    assert.deepEqual(await resolver.resolve6(`v6.${zone}`), ['2001:db8::5']);
    assert.deepEqual(await resolver.resolveCname(`alias.${zone}`), [`printer.${zone}`]);
    assert.deepEqual(await resolver.resolveTxt(`note.${zone}`), [['hello edge', 'second']]);
    assert.deepEqual(await resolver.resolveMx(zone), [{ priority: 10, exchange: `mail.${zone}` }]);
    assert.deepEqual(await resolver.resolveSrv(`_ldap._tcp.${zone}`), [{ priority: 0, weight: 5, port: 389, name: `ldap.${zone}` }]);
    const soa = await resolver.resolveSoa(zone);
    assert.equal(soa.nsname, `ns.${zone}`);
    assert.ok(soa.serial > 0, `the SOA serial is the zone's seq: ${soa.serial}`);
    assert.deepEqual(await resolver.resolveNs('eu.edge.example'), ['ns.eu.edge.example'], 'the core zone delegates eu');
    const backendPort = cluster!.basePort + 90; // the demo's api backends (loadDemoData)
    await eventually(async () => assert.deepEqual(await resolver.resolveSrv('_api._tcp.svc.edge.example'), [{ priority: 0, weight: 1, port: backendPort, name: 'api.svc.berlin.eu.edge.example' }]), 10_000, 200);
    assert.equal(await resolver.resolve4(`nothing.${zone}`).catch((e: NodeJS.ErrnoException) => e.code), 'ENOTFOUND', 'NXDOMAIN');
    assert.equal(await resolver.resolve6(`printer.${zone}`).catch((e: NodeJS.ErrnoException) => e.code), 'ENODATA', 'NODATA');
  });

  it('5. malformed queries get FORMERR or are dropped, are counted, and never crash the node', async () => {
    await startDemo();
    const [host, portText] = dns('berlin').split(':');
    const port = Number(portText);
    const header = (qd: number, an = 0): Buffer => Buffer.from([0xab, 0xcd, 0x01, 0x00, 0, qd, an >> 8, an & 0xff, 0, 0, 0, 0]);
    const cases: Array<[string, Buffer, 'formerr' | 'drop']> = [
      ['truncated header', Buffer.from([0xab, 0xcd, 0x01]), 'drop'],
      ['bad label length', Buffer.concat([header(1), Buffer.from([0x45, 0x61, 0x00, 0x00, 0x01, 0x00, 0x01])]), 'formerr'],
      ['compression loop', Buffer.concat([header(1), Buffer.from([0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01])]), 'formerr'],
      ['huge counts', Buffer.concat([header(1, 65535), Buffer.from([0x01, 0x61, 0x00, 0x00, 0x01, 0x00, 0x01])]), 'formerr'],
      ['question runs past the end', Buffer.concat([header(1), Buffer.from([0x10, 0x61, 0x62])]), 'formerr'],
      ['no question', header(0), 'formerr'],
    ];
    for (const [label, message, expected] of cases) {
      if (expected === 'drop') {
        // Dropped: the real query sent after it is answered, and it is the only answer.
        const replies = await sendThenQuery(host!, port, message, 'printer.berlin.eu.edge.example');
        assert.deepEqual(replies.map((r) => r.readUInt16BE(0)), replies.map(() => 0x5a5a), `${label}: nothing but the real query was answered`);
        continue;
      }
      const reply = await sendRaw(host!, port, message);
      {
        assert.ok(reply, `${label}: expected an answer`);
        assert.equal(reply.readUInt16BE(0), 0xabcd, label);
        assert.equal(reply.readUInt16BE(2) & 0x000f, 1, `${label}: FORMERR`);
      }
    }
    for (let i = 0; i < 500; i++) await sendRaw(host!, port, randomBytes(1 + (i % 300)), 0).catch(() => undefined);
    await new Promise<void>((resolve) => {
      const socket = net.connect(port, host, () => {
        socket.write(Buffer.concat([Buffer.from([0, 14]), header(1).subarray(0, 12), Buffer.from([0xc0, 0x0c])]));
        socket.write(randomBytes(3000));
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 300);
      });
      socket.on('error', () => resolve());
    });
    assert.deepEqual(await resolve4(dns('berlin'), 'printer.berlin.eu.edge.example'), ['127.0.30.20'], 'still answering');
    assert.equal(cluster!.processes.get('berlin')!.exitCode, null, 'still running');
    const metrics = await (await fetch(`http://127.0.0.1:${cluster!.basePort + 34}/metrics`)).text();
    const counted = [...metrics.matchAll(/^strata_dns_malformed_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    assert.ok(counted >= 6, `malformed messages counted: ${counted}`);
  });
});
