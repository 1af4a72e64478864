// The `strata` CLI as an operator runs it, against real node processes:
// settings, records, zone import, services with health-driven answers
// (a backend that stops answering drops out of DNS, and comes back), ttl
// checks with `service pass`, and time. Each command is a real process.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from '../support/cluster';
import { lookup4 } from '../support/dns-client';
import { eventually } from '../support/eventually';
import { runStrata } from '../support/strata-cli';
import { createCa } from '../../src/kernel/x509';

describe('strata CLI against a running federation (real processes)', function () {
  this.timeout(180_000);
  let dataDir: string;
  let cluster: Cluster;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-cli-'));
    cluster = await Cluster.start(dataDir, { perNode: { eu: { link: { writeTimeoutMs: 1500 } } } });
  });

  after(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function strata(...args: string[]): Promise<string> {
    const result = await runStrata(args);
    assert.equal(result.code, 0, `strata ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }

  it('sets, reads, lists and removes settings through any node', async () => {
    assert.match(await strata('settings', 'set', 'motd', 'hello edge', ...cluster.target('berlin')), /motd = hello edge \(seq \d+ at core\)/);
    await eventually(async () => assert.equal((await strata('settings', 'get', 'motd', ...cluster.target('sfo'))).trim(), 'hello edge'), 10_000, 100);
    assert.match(await strata('settings', 'list', 'mo', ...cluster.target('nyc')), /^motd\s+hello edge$/m);
    assert.match(await strata('settings', 'rm', 'motd', ...cluster.target('paris')), /motd removed/);
    const gone = await runStrata(['settings', 'get', 'motd', ...cluster.target('paris')]);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /motd is not set/);
  });

  it('checks a node config or a topology without starting anything, reporting every problem at once', async () => {
    const bad = path.join(dataDir, 'bad.yaml');
    writeFileSync(bad, 'name: eu\ntier: regional\ndataDir: d\nlisten: { dns: "nowhere" }\nparents: [{ name: core, address: "x" }]\n');
    const checked = await runStrata(['node', '--config', bad, '--check']);
    assert.notEqual(checked.code, 0);
    assert.match(checked.stderr, /2 problems:[^]*parents\[0\]\.address: expected HOST:PORT[^]*listen\.dns: expected HOST:PORT/);
    const good = await runStrata(['node', '--config', cluster.configFile('berlin'), '--check']);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /OK — node berlin \(site\), parents: eu/);
    const up = await runStrata(['up', '--check', '--base-port', '25300']);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /the demo topology: OK — 7 nodes/);
  });

  it('reaches nodes by name from a CLI config, away from strata up (real-deployment form)', async () => {
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'strata-cli-away-'));
    try {
      const config = path.join(elsewhere, 'cli.yaml');
      writeFileSync(config, [
        `ca: ${path.join(dataDir, 'ca.crt')}`,
        `cert: ${path.join(dataDir, 'operator.crt')}`,
        `key: ${path.join(dataDir, 'operator.key')}`,
        'default: core',
        'nodes:',
        ...cluster.names().map((name) => `  ${name}: { address: "${cluster.grpc.get(name)}" }`),
      ].join('\n'));
      const env = { STRATA_CONFIG: config, HOME: elsewhere };
      const set = await runStrata(['settings', 'set', 'cli-config', 'works', '--node', 'berlin'], { cwd: elsewhere, env });
      assert.equal(set.code, 0, set.stderr);
      assert.match(set.stdout, /cli-config = works \(seq \d+ at core\)/, 'an operator write through berlin, signed with the configured certificate');
      await eventually(async () => assert.match((await runStrata(['settings', 'get', 'cli-config'], { cwd: elsewhere, env })).stdout, /works/), 10_000, 100);
      const unknown = await runStrata(['settings', 'list', '--node', 'atlantis'], { cwd: elsewhere, env });
      assert.match(unknown.stderr, /no node named atlantis in .*cli\.yaml; known: core, eu/);
      const none = await runStrata(['settings', 'list'], { cwd: elsewhere, env: { HOME: elsewhere, XDG_CONFIG_HOME: elsewhere } });
      assert.match(none.stderr, /Or give --addr HOST:PORT, or name the nodes in .*strata\/cli\.yaml/);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('says when TLS fails, and why, instead of "did not answer": the CA of another federation', async () => {
    const otherCa = path.join(dataDir, 'other-ca.crt');
    writeFileSync(otherCa, createCa('another federation', Date.now(), 10).certPem);
    const wrongCa = await runStrata(['settings', 'list', '--addr', cluster.grpc.get('core')!, '--ca', otherCa]);
    assert.notEqual(wrongCa.code, 0);
    assert.match(wrongCa.stderr, /TLS: the server's certificate at \S+ is not signed by the CA you gave .*pass --ca <core data dir>\/tls\/ca\.crt/);
    assert.doesNotMatch(wrongCa.stderr, /is it running/);
  });

  it('adds, lists and removes records, answered over DNS at the site and the core', async () => {
    assert.match(await strata('record', 'add', 'web', 'A', '192.0.2.5', '--ttl', '60', ...cluster.target('berlin')), /^added web\.berlin\.eu\.edge\.example\. A 192\.0\.2\.5 to berlin\.eu\.edge\.example\./);
    // A relative name that repeats the zone (the trailing dot forgotten): the full name it became, and a warning.
    const repeated = await runStrata(['record', 'add', 'api2.berlin.eu.edge.example', 'A', '192.0.2.6', ...cluster.target('berlin')]);
    assert.equal(repeated.code, 0, repeated.stderr);
    assert.match(repeated.stdout, /^added api2\.berlin\.eu\.edge\.example\.berlin\.eu\.edge\.example\. A 192\.0\.2\.6/);
    assert.match(repeated.stderr, /warning: api2\.berlin\.eu\.edge\.example has no trailing dot, so it is relative to berlin\.eu\.edge\.example\./);
    assert.match(await strata('record', 'rm', 'api2.berlin.eu.edge.example', 'A', ...cluster.target('berlin')), /removed 1 record\(s\) api2\.berlin\.eu\.edge\.example\.berlin\.eu\.edge\.example\. A/);
    const absolute = await runStrata(['record', 'add', 'api3.berlin.eu.edge.example.', 'A', '192.0.2.7', ...cluster.target('berlin')]);
    assert.equal(absolute.stderr, '');
    assert.match(absolute.stdout, /^added api3\.berlin\.eu\.edge\.example\. A/);
    await strata('record', 'rm', 'api3.berlin.eu.edge.example.', 'A', ...cluster.target('berlin'));
    assert.deepEqual(await lookup4(cluster.dns.get('berlin')!, 'web.berlin.eu.edge.example'), ['192.0.2.5']);
    await eventually(async () => assert.deepEqual(await lookup4(cluster.dns.get('core')!, 'web.berlin.eu.edge.example'), ['192.0.2.5']), 10_000, 100);
    const listed = JSON.parse(await strata('record', 'ls', '--json', ...cluster.target('berlin'))) as { records: Array<{ name: string; type: string; data: string }> };
    assert.ok(listed.records.some((r) => r.name === 'web.berlin.eu.edge.example.' && r.type === 'A' && r.data === '192.0.2.5'));
    await strata('record', 'rm', 'web', 'A', ...cluster.target('berlin'));
    assert.equal(await lookup4(cluster.dns.get('berlin')!, 'web.berlin.eu.edge.example'), 'NXDOMAIN');
  });

  it('imports a master file into a zone', async () => {
    const file = path.join(dataDir, 'paris.zone');
    writeFileSync(file, '$TTL 120\nkiosk  IN A 192.0.2.41\nkiosk2 IN A 192.0.2.42\n');
    assert.equal((await runStrata(['zone', 'import', file, ...cluster.target('paris')])).code, 0);
    assert.deepEqual(await lookup4(cluster.dns.get('paris')!, 'kiosk2.paris.eu.edge.example'), ['192.0.2.42']);
  });

  it('answers a service from its healthy instances only: a backend that stops answering drops out, and comes back', async () => {
    const backend = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => backend.listen(0, '127.0.30.9', resolve));
    const port = (backend.address() as net.AddressInfo).port;
    const name = 'shop.svc.edge.example';
    try {
      await strata('service', 'register', 'shop', '--address', '127.0.30.9', '--port', String(port), '--check', 'tcp', '--interval-ms', '500', '--timeout-ms', '300', ...cluster.target('berlin'));
      await eventually(async () => assert.deepEqual(await lookup4(cluster.dns.get('berlin')!, name), ['127.0.30.9']), 15_000, 100);
      const listed = JSON.parse(await strata('service', 'ls', 'shop', '--json', ...cluster.target('berlin'))) as { instances: Array<{ healthy: boolean; node: string }> };
      assert.deepEqual(listed.instances.map((i) => [i.node, i.healthy]), [['berlin', true]]);
      await new Promise<void>((resolve) => backend.close(() => resolve()));
      await eventually(async () => assert.notDeepEqual(await lookup4(cluster.dns.get('berlin')!, name), ['127.0.30.9']), 15_000, 100);
      await new Promise<void>((resolve) => backend.listen(port, '127.0.30.9', resolve));
      await eventually(async () => assert.deepEqual(await lookup4(cluster.dns.get('berlin')!, name), ['127.0.30.9']), 15_000, 100);
      await strata('service', 'maint', 'shop@berlin', '--enable', ...cluster.target('core'));
      await eventually(async () => assert.notDeepEqual(await lookup4(cluster.dns.get('berlin')!, name), ['127.0.30.9']), 15_000, 100);
      await strata('service', 'maint', 'shop@berlin', '--disable', ...cluster.target('core'));
      await eventually(async () => assert.deepEqual(await lookup4(cluster.dns.get('berlin')!, name), ['127.0.30.9']), 15_000, 100);
      await strata('service', 'deregister', 'shop@berlin', ...cluster.target('berlin'));
      assert.match(await strata('service', 'ls', 'shop', ...cluster.target('berlin')), /\(no instances\)/);
    } finally {
      backend.close();
    }
  });

  it('keeps a ttl-checked instance healthy only while `service pass` heartbeats arrive', async () => {
    const name = 'beat.svc.edge.example';
    await strata('service', 'register', 'beat', '--address', '127.0.30.10', '--port', '9', '--check', 'ttl', '--ttl-ms', '3000', ...cluster.target('berlin'));
    await strata('service', 'pass', 'beat@berlin', ...cluster.target('berlin'));
    await eventually(async () => assert.deepEqual(await lookup4(cluster.dns.get('berlin')!, name), ['127.0.30.10']), 15_000, 100);
    await eventually(async () => assert.notDeepEqual(await lookup4(cluster.dns.get('berlin')!, name), ['127.0.30.10']), 20_000, 200);
  });

  it('fails a forwarded write with UNAVAILABLE when the owner is reachable but silent, after link.writeTimeoutMs', async () => {
    const core = cluster.processes.get('core')!;
    core.kill('SIGSTOP'); // the TCP link stays up; nothing answers
    try {
      const result = await runStrata(['settings', 'set', 'late', 'x', ...cluster.target('eu')]);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /cannot write settings at eu: owner core not reached through parent core: no answer from parent core within 1500 ms/);
      assert.doesNotMatch(result.stderr, /did not answer/, 'eu answered: it is the owner that did not');
    } finally {
      core.kill('SIGCONT');
    }
  });

  it('shows time as a site serves it, with each parent it polls and its part in the selection', async () => {
    await eventually(async () => {
      const time = JSON.parse(await strata('time', '--json', ...cluster.target('berlin'))) as { synchronized: boolean; stratum: number; sources: Array<{ name: string; state: string }> };
      assert.equal(time.synchronized, true);
      assert.ok(time.stratum >= 2, `stratum ${time.stratum}`);
      // Both parents are polled, the current one first; on one host clock they agree, so both are combined.
      assert.deepEqual(time.sources.map((s) => `${s.name}:${s.state}`), ['eu:system', 'core:combined']);
    }, 30_000, 500);
    const text = await strata('time', ...cluster.target('berlin'));
    assert.match(text, /^ {4}\* eu \(127\.0\.0\.1:\d+\) {2}system {2}stratum 11 {2}offset [+-]\d+\.\d{3} ms ± \d+\.\d{3} ms$/m, text);
    assert.match(text, /^ {4}\+ core \(127\.0\.0\.1:\d+\) {2}combined {2}stratum 10 /m, text);
  });

  // Last: it kills nodes.
  it('status (CLI and page) after kill -9: a node below is LOST with its last report dated, a cut-off node says it has no parent link', async () => {
    // Once paris has reported its datasets and clock up the tree, it goes.
    await eventually(async () => assert.match(await strata('status', ...cluster.target('eu')), /paris \(site\) {2}linked to eu {2}[1-9]\d* datasets, .*(stratum \d+|time NOT synchronised)/), 15_000, 250);
    await cluster.kill('paris');
    await eventually(async () => {
      const eu = await strata('status', ...cluster.target('eu'));
      assert.match(eu, /paris \(site\) {2}LOST: not heard from since \S+ \(\d+s ago\) {2}\d+ datasets, lag unknown \(last report \d+s ago\), clock as last reported \(\d+s ago\), (stratum \d+|time NOT synchronised)/);
      const page = await (await fetch(`http://${cluster.http.get('eu')}/`)).text();
      assert.match(page, />paris<\/td><td>site<\/td><td><b>LOST<\/b>: not heard from since [^<]+ \(\d+ s ago\)<\/td><td>\d+<\/td><td>unknown \(last report \d+ s ago\)<\/td><td>last reported \d+ s ago: (stratum|<b>not synchronised)/);
    }, 15_000, 250);
    await Promise.all([cluster.kill('us'), cluster.kill('core')]);
    await eventually(async () => {
      const nyc = await strata('status', ...cluster.target('nyc'));
      assert.match(nyc, /^nyc \(site\) {2}NO PARENT LINK {2}/m, nyc);
      const page = await (await fetch(`http://${cluster.http.get('nyc')}/`)).text();
      assert.match(page, />nyc<\/td><td>site<\/td><td><b>NO PARENT LINK<\/b>: serving what it holds<\/td>/);
      assert.doesNotMatch(page, /LOST/, 'a node does not call itself lost');
    }, 15_000, 250);
  });
});
