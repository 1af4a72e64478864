// The core group's etcd client against a real etcd (Debian's etcd-server):
// after an outage its circuit breakers may still be open when etcd is back;
// a call then waits until they half-open and is made again, instead of
// failing a write that etcd would take.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { etcdSpecs, startEtcd, stopEtcd, waitEtcdHealthy, type EtcdProcess } from '../../src/cli/up/etcd-launch';
import { EtcdPort } from '../../src/core-group/etcd-port';
import { SystemClock } from '../../src/kernel/clock';
import { requireTools } from '../support/debian-tools';
import { freeBasePort } from '../support/ports';

describe('etcd client of the core group (a real etcd)', function () {
  this.timeout(60_000);
  const clock = new SystemClock();
  let dir: string;
  let member: EtcdProcess | undefined;
  let port: EtcdPort | undefined;

  before(async () => {
    requireTools(['etcd']);
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-etcd-port-'));
    const specs = etcdSpecs(1, await freeBasePort(10), dir);
    member = startEtcd(specs[0]!, specs);
    await waitEtcdHealthy(specs, clock, 30_000);
    port = new EtcdPort({ endpoints: [`127.0.0.1:${specs[0]!.clientPort}`], callTimeoutMs: 200, nowMs: () => clock.nowMs() });
  });

  after(async () => {
    port?.close();
    if (member) {
      member.process.kill('SIGCONT');
      await stopEtcd(member, clock);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('a call made while its breaker is still open from an outage that just ended succeeds', async () => {
    await port!.put('/strata-test/before', Buffer.from('1'));
    // An outage: etcd stops answering; calls time out until its breaker is open (3 failures in a row).
    member!.process.kill('SIGSTOP');
    for (let i = 0; i < 4; i++) await assert.rejects(port!.put('/strata-test/during', Buffer.from('x')));
    // etcd is back at once, well within the second the breaker stays open after the last failure.
    member!.process.kill('SIGCONT');
    await port!.put('/strata-test/after', Buffer.from('2'));
    assert.equal((await port!.get('/strata-test/after')).kv?.value.toString(), '2');
  });
});
