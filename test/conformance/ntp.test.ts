// NTP conformance with real clients from Debian packages: chronyd (chrony)
// in its one-shot measuring mode (-Q: it never touches the system clock) and
// sntp (ntpsec's ntpdig), against a federation of real node processes.
// sntp cannot be given a port, so berlin's NTP listens on 127.0.0.123:123
// here (the suite runs as root, as .ci/run does).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from '../support/cluster';
import { requireTools } from '../support/debian-tools';
import { eventually } from '../support/eventually';
import { ntpQuery } from '../support/ntp-client';
import { freeBasePort } from '../support/ports';
import { StrataProcess } from '../support/strata-cli';

const run = promisify(execFile);
const BERLIN_NTP = '127.0.0.123:123';

describe('NTP conformance (chronyd, sntp)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let cluster: Cluster;

  before(async () => {
    requireTools(['chronyd', 'sntp']);
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
    } finally {
      orphan.kill('SIGKILL');
      await orphan.exited;
    }
  });
});
