// NTP conformance with real clients: chronyd (chrony) in its one-shot
// measuring mode (-Q: it never touches the system clock), sntp (ntpsec's
// ntpdig) and python3-ntplib from Debian packages, and the npm client
// ntp-time-sync (a devDependency: GPL-3.0, never in the runtime), against a
// federation of real node processes.
// sntp cannot be given a port, so berlin's NTP listens on 127.0.0.123:123
// here (the suite runs as root, as .ci/run does).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from '../support/cluster';
import { NtpTimeSync } from 'ntp-time-sync';
import { refIdOfIPv4 } from '../../src/time/ntp-packet';
import { PYTHON, requirePythonModules, requireTools } from '../support/debian-tools';
import { eventually } from '../support/eventually';
import { ntpQuery } from '../support/ntp-client';
import { freeBasePort } from '../support/ports';
import { StrataProcess } from '../support/strata-cli';

const run = promisify(execFile);
const BERLIN_NTP = '127.0.0.123:123';

interface NtplibReply {
  leap: number;
  version: number;
  mode: number;
  stratum: number;
  ref_id: number;
  root_delay: number;
  root_dispersion: number;
  offset: number;
  delay: number;
}

const NTPLIB_SCRIPT = `
import json, sys, ntplib
client = ntplib.NTPClient()
for _ in range(int(sys.argv[3])):
    r = client.request(sys.argv[1], version=4, port=int(sys.argv[2]), timeout=2)
    print(json.dumps({k: getattr(r, k) for k in ('leap', 'version', 'mode', 'stratum', 'ref_id', 'root_delay', 'root_dispersion', 'offset', 'delay')}))
`;

/** python3-ntplib's client: `count` queries of `address`, as it decoded them (seconds). */
async function ntplibQueries(address: string, count: number): Promise<NtplibReply[]> {
  const [host, port] = address.split(':');
  const { stdout } = await run(PYTHON, ['-c', NTPLIB_SCRIPT, host!, port!, String(count)], { timeout: 20_000 });
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as NtplibReply);
}

describe('NTP conformance (chronyd, sntp, python3-ntplib, ntp-time-sync)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let cluster: Cluster;

  before(async () => {
    requireTools(['chronyd', 'sntp']);
    requirePythonModules(['ntplib']);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-conf-ntp-'));
    cluster = await Cluster.start(dataDir, { nodeConfig: { time: { pollS: 1 } }, perNode: { berlin: { listen: { ntp: BERLIN_NTP } } } });
    await eventually(async () => assert.equal((await ntpQuery(BERLIN_NTP))?.stratum, 12), 15_000, 200);
  });

  after(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** chronyd -Q: measures the server with the full NTP client (filtering, sanity checks) and prints the offset. */
  async function chronydOffset(address: string): Promise<string> {
    const [host, port] = address.split(':');
    const chronyDir = mkdtempSync(path.join(dataDir, 'chrony-'));
    const { stdout, stderr } = await run('chronyd', ['-Q', '-t', '10', '-f', '/dev/null', `server ${host} port ${port} iburst maxsamples 4`, `pidfile ${chronyDir}/chronyd.pid`], { timeout: 20_000 }).catch((err: { stdout: string; stderr: string }) => err);
    return `${stdout}${stderr}`;
  }

  for (const node of ['core', 'berlin']) {
    it(`chronyd accepts ${node} as a source and measures it within 5 ms of this machine's clock`, async () => {
      const out = await chronydOffset(node === 'berlin' ? BERLIN_NTP : cluster.ntp.get(node)!);
      const match = /System clock wrong by (-?[\d.]+) seconds/.exec(out);
      assert.ok(match, `chronyd found no usable source:\n${out}`);
      assert.ok(Math.abs(Number(match[1])) < 0.005, `offset ${match[1]} s`);
    });
  }

  it('sntp reads stratum, leap, offset and time from berlin (127.0.0.123:123)', async () => {
    const { stdout } = await run('sntp', ['-j', '-t', '3', BERLIN_NTP.split(':')[0]!]);
    const reply = JSON.parse(stdout) as { stratum: number; leap: string; offset: number; time: string };
    assert.equal(reply.stratum, 12, 'core 10 → eu 11 → berlin 12');
    assert.equal(reply.leap, 'no-leap');
    assert.ok(Math.abs(reply.offset) < 0.005, `offset ${reply.offset} s`);
    assert.ok(Math.abs(Date.parse(reply.time.replace(/(\.\d{3})\d*/, '$1').replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) - Date.now()) < 2000, `time ${reply.time}`);
  });

  it('python3-ntplib reads every tier: server mode, stratum one below the source, the reference ID of that source, plausible root delay and dispersion, offset within 1 ms', async () => {
    const refIdOf = (address: string): number => refIdOfIPv4(address.split(':')[0]!).readUInt32BE(0);
    const tiers = [
      { node: 'core', address: cluster.ntp.get('core')!, stratum: 10, refId: Buffer.from('LOCL').readUInt32BE(0) },
      { node: 'eu', address: cluster.ntp.get('eu')!, stratum: 11, refId: refIdOf(cluster.ntp.get('core')!) },
      { node: 'berlin', address: BERLIN_NTP, stratum: 12, refId: refIdOf(cluster.ntp.get('eu')!) },
    ];
    for (const tier of tiers) {
      const replies = await ntplibQueries(tier.address, 5);
      for (const r of replies) {
        assert.deepEqual([r.leap, r.version, r.mode, r.stratum], [0, 4, 4, tier.stratum], `${tier.node}: leap 0, version 4, server mode, stratum ${tier.stratum}`);
        assert.equal(r.ref_id, tier.refId, `${tier.node}: reference ID 0x${r.ref_id.toString(16)} names its source`);
        assert.ok(r.root_delay >= 0 && r.root_delay < 0.1, `${tier.node}: root delay ${r.root_delay} s`);
        assert.ok(r.root_dispersion > 0 && r.root_dispersion < 0.1, `${tier.node}: root dispersion ${r.root_dispersion} s`);
      }
      if (tier.node === 'core') assert.equal(replies[0]!.root_delay, 0, 'core: its own clock, no delay to a source');
      else assert.ok(replies[0]!.root_delay > 0, `${tier.node}: root delay counts the hops to the core`);
      // All nodes share this machine's clock: the offset is Strata's error, measured to ± half the round trip.
      const best = replies.reduce((a, b) => (b.delay < a.delay ? b : a));
      assert.ok(Math.abs(best.offset) < 0.001 + best.delay / 2, `${tier.node}: offset ${(best.offset * 1e6).toFixed(0)} µs (round trip ${(best.delay * 1e6).toFixed(0)} µs)`);
    }
  });

  it('ntp-time-sync accepts every tier (its stratum, leap and root distance checks) and reads time within 5 ms', async () => {
    for (const [node, address] of [['core', cluster.ntp.get('core')!], ['eu', cluster.ntp.get('eu')!], ['berlin', BERLIN_NTP]] as const) {
      const sync = new NtpTimeSync({ servers: [address], sampleCount: 4, replyTimeout: 2000 });
      const result = await sync.getTime(true);
      // Its timestamps are JavaScript Dates: whole milliseconds.
      assert.ok(Math.abs(result.offset) < 5, `${node}: offset ${result.offset} ms`);
      assert.ok(Math.abs(result.now.getTime() - Date.now()) < 50, `${node}: time ${result.now.toISOString()}`);
    }
  });

  it('chronyd refuses a node that never synchronised (leap 3, stratum 16), which keeps answering', async () => {
    // A site whose only parent does not exist: it never synchronises, and says so.
    const base = await freeBasePort(10);
    const config = path.join(dataDir, 'orphan.yaml');
    writeFileSync(config, [
      'name: orphan',
      'tier: site',
      `parents: [{ name: nowhere, address: "127.0.0.1:${base + 9}" }]`,
      `dataDir: ${path.join(dataDir, 'orphan')}`,
      `listen: { grpc: "127.0.0.1:${base}", dns: "127.0.0.1:${base + 1}", ntp: "127.0.0.1:${base + 3}", http: "127.0.0.1:${base + 4}" }`,
      'log: { level: warn }',
      'security: { mode: plaintext }  # it never links, so it never enrols',
    ].join('\n'));
    const orphan = new StrataProcess(['node', '--config', config]);
    try {
      await eventually(async () => assert.equal((await ntpQuery(`127.0.0.1:${base + 3}`))?.leap, 3), 10_000, 100);
      const reply = (await ntpQuery(`127.0.0.1:${base + 3}`))!;
      assert.equal(reply.stratum, 16);
      const out = await chronydOffset(`127.0.0.1:${base + 3}`);
      assert.doesNotMatch(out, /System clock wrong by/, 'chronyd must not use it');
      assert.match(out, /No suitable source|unsynchronised|Could not/i, out);
      // ntp-time-sync drops every reply (leap 3: "Stratum error") and gives up after its retries.
      await assert.rejects(new NtpTimeSync({ servers: [`127.0.0.1:${base + 3}`], sampleCount: 2, replyTimeout: 1000 }).getTime(true), /Unable to get any NTP response/);
    } finally {
      orphan.kill('SIGKILL');
      await orphan.exited;
    }
  });
});
