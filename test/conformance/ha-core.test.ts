// The highly available core (issue 14, DESIGN "The core, highly available"):
// three core members sharing one logical core through a real three-member
// etcd cluster (Debian's etcd-server, a real component the conformance suite
// needs like its clients), real node processes, kill -9.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from '../support/cluster';
import { eventually } from '../support/eventually';
import { requireTools } from '../support/debian-tools';
import { EtcdPort, prefixEnd, type TxnOp } from '../../src/core-group/etcd-port';
import { SharedLayout } from '../../src/core-group/shared-log';
import { ADMIN, BASE, ldapCode, LdapClient } from '../support/ldap-client';
import { enrol } from '../../src/federation/client/enrolment-client';
import { parseHostPort, type HostPort } from '../../src/kernel/host-port';
import { certificateSerial, verifiedIdentity } from '../../src/kernel/x509';
import { joinTokenFor } from '../../src/node/identity';
import { runStrata } from '../support/strata-cli';

const HA_TOPOLOGY = `
federation: { domain: edge.example., baseDn: 'dc=edge,dc=example' }
directory: { adminPassword: admin-demo }
nodes:
  - { name: core, tier: core, portOffset: 0, members: 3 }
  - { name: eu, tier: regional, parents: [core], portOffset: 10 }
  - { name: berlin, tier: site, parents: [eu, core], portOffset: 30 }
`;

const MEMBERS = ['core', 'core-2', 'core-3'];

async function gauge(c: Cluster, member: string, name: string): Promise<number> {
  const text = await (await fetch(`http://${c.http.get(member)!}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  if (!line) throw new Error(`${member} has no ${name}`);
  return Number(line.split(' ').pop());
}

const leaderGauge = (c: Cluster, member: string): Promise<number> => gauge(c, member, 'strata_core_group_leader').catch(() => -1);
const etcdUpGauge = (c: Cluster, member: string): Promise<number> => gauge(c, member, 'strata_core_group_etcd_up');

describe('HA core: three members on etcd (real processes)', function () {
  this.timeout(180_000);
  let dir: string;
  let cluster: Cluster | undefined;

  before(async function () {
    requireTools(['etcd']);
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-ha-'));
    // The members keep 50 changes per dataset in etcd (trimmed each second by the leader), so a member
    // that was down during the write stream below comes back from etcd's records, not its log.
    const trimmed = { store: { compaction: { keepChanges: 50, keepMs: 0, intervalMs: 1000 } } };
    cluster = await Cluster.start(dir, {
      topology: HA_TOPOLOGY,
      nodeConfig: { link: { heartbeatMs: 200, missedHeartbeats: 3, reconnectInitialMs: 100, reconnectMaxMs: 500, primaryProbeMs: 1000 } },
      perNode: Object.fromEntries(MEMBERS.map((m) => [m, trimmed])),
    });
  });

  after(async () => {
    await cluster?.stop();
    if (!process.env.KEEP_HA_DIR) rmSync(dir, { recursive: true, force: true });
    else console.log(dir);
  });

  it('a setting written at any member is the same dataset, seq and value at every member and below', async () => {
    const c = cluster!;
    const first = await c.api('core').setSetting('ha.one', '1');
    const second = await c.api('core-2').setSetting('ha.two', '2');
    assert.equal(second.seq, first.seq + 1, 'the members share one log: seqs follow on across members');
    for (const name of [...MEMBERS, 'eu', 'berlin']) {
      await eventually(async () => {
        const { settings } = await c.settings(name);
        assert.equal(settings['ha.one'], '1', `${name} has ha.one`);
        assert.equal(settings['ha.two'], '2', `${name} has ha.two`);
      }, 10_000, 100);
    }
  });

  it('LDAP adds of one entry at two members at once: exactly one wins, the other gets entryAlreadyExists (68); binds work at a site', async () => {
    const c = cluster!;
    const admins = await Promise.all(['core', 'core-2'].map((m) => LdapClient.bound(c.ldap.get(m)!, ADMIN, 'admin-demo')));
    try {
      for (let i = 0; i < 5; i++) {
        const dn = `uid=race${i},ou=people,${BASE}`;
        const entry = { objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'], uid: `race${i}`, cn: `Race ${i}`, sn: 'Race', userPassword: `pw-${i}` };
        const codes = await Promise.all(admins.map((a) => ldapCode(a.add(dn, entry))));
        assert.deepEqual([...codes].sort(), [0, 68], `one add wins, the other is told the entry exists (got ${codes.join(', ')})`);
      }
      await eventually(async () => {
        const alice = await LdapClient.bound(c.ldap.get('berlin')!, `uid=race4,ou=people,${BASE}`, 'pw-4');
        alice.close();
      }, 10_000, 200);
    } finally {
      for (const a of admins) a.close();
    }
  });

  it('one CA for the group: a join token used at one member is refused at another; the node it enrolled is revoked at a third', async () => {
    const c = cluster!;
    const at = (member: string): Array<{ name: string; address: HostPort }> => [{ name: 'core', address: parseHostPort(c.grpc.get(member)!) as HostPort }];
    // --replace: so only the token's claim (in etcd) can refuse the second use, not the registry's 'enrolled already'.
    const token = joinTokenFor(path.join(dir, 'core'), 'kiosk', { tier: 'site', parents: ['core'], replace: true }, 600, c.clock);
    const identity = await enrol('kiosk', 'site', token, at('core-2'), ['127.0.0.1'], c.clock);
    assert.equal(verifiedIdentity(identity.certPem, c.caPem, c.clock.nowMs()), 'kiosk', 'core-2 issues with the group\'s CA');
    await assert.rejects(enrol('kiosk', 'site', token, at('core-3'), [], c.clock), /already used/, 'the token was used at core-2');
    // Revoked at a third member: the registry and the revocation list are the group's.
    const { serials } = await eventually(() => c.api('core').unary<{ serials: string[] }>('EnrolmentService', 'Revoke', { name: 'kiosk', reason: 'test' }), 10_000, 100);
    assert.deepEqual(serials, [certificateSerial(identity.certPem)]);
  });

  it('values under the prefix that Strata did not write are logged and passed over: every member stays up and keeps writing', async () => {
    const c = cluster!;
    const etcd = new EtcdPort({ endpoints: c.etcdSpecs.map((s) => `127.0.0.1:${s.clientPort}`), callTimeoutMs: 2000, nowMs: () => c.clock.nowMs() });
    const layout = new SharedLayout('/strata/');
    try {
      await etcd.put(layout.meta('bogus'), Buffer.from('not json'));
      await etcd.put(layout.meta('half'), Buffer.from('{"owner":1}'));
      await etcd.put(layout.log('settings', 99_999_999), Buffer.from('{'));
      await etcd.put(layout.record('settings', 'garbage'), Buffer.from('{'));
    } finally {
      etcd.close();
    }
    await c.api('core-3').setSetting('after.garbage', 'yes');
    for (const member of MEMBERS) {
      await eventually(async () => assert.equal((await c.settings(member)).settings['after.garbage'], 'yes', `${member} still follows etcd`), 10_000, 100);
      assert.equal(c.processes.get(member)!.exitCode, null, `${member} is up`);
    }
  });

  it('kill -9 of the leader, then of the member the regional linked to: a new leader within 5 s, writes through the site resume within 5 s, no acknowledged write lost', async () => {
    const c = cluster!;
    const acknowledged: string[] = [];
    let stop = false;
    let lastOkMs = c.clock.nowMs();
    let longestGapMs = 0;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          await c.api('berlin').setSetting(`stream.${i}`, String(i));
          const now = c.clock.nowMs();
          longestGapMs = Math.max(longestGapMs, now - lastOkMs);
          lastOkMs = now;
          acknowledged.push(`stream.${i}`);
        } catch {
          await c.clock.sleep(50);
        }
      }
    })();
    await eventually(() => assert.ok(acknowledged.length >= 20), 10_000, 50);
    const leader = await eventually(async () => {
      const leaders = (await Promise.all(MEMBERS.map(async (m) => ((await leaderGauge(c, m)) === 1 ? m : undefined)))).filter(Boolean);
      assert.equal(leaders.length, 1, `exactly one leader: ${leaders.join(', ')}`);
      return leaders[0]!;
    }, 10_000, 100);
    await c.kill(leader);
    const killedAtMs = c.clock.nowMs();
    const survivors = MEMBERS.filter((m) => m !== leader);
    await eventually(async () => assert.ok((await Promise.all(survivors.map((m) => leaderGauge(c, m)))).includes(1), 'a surviving member is leader'), 5_000, 100);
    const newLeaderMs = c.clock.nowMs() - killedAtMs;
    // Then the member eu links to first (the core's member 1) if the leader was another one: eu must re-parent.
    if (leader !== 'core') await c.kill('core');
    const killedAt = acknowledged.length;
    await eventually(() => assert.ok(acknowledged.length >= killedAt + 20, `writes resumed (${acknowledged.length - killedAt} since the kill)`), 15_000, 100);
    stop = true;
    await writer;
    console.log(`      killed ${leader} (leader)${leader !== 'core' ? ' and core' : ''}: new leader after ${newLeaderMs} ms; writes through berlin paused at most ${longestGapMs} ms; ${acknowledged.length} acknowledged`);
    assert.ok(longestGapMs < 5000, `writes through berlin paused ${longestGapMs} ms (target < 5 s)`);
    const alive = ['core-2', 'core-3', 'eu', 'berlin'].filter((n) => n !== leader);
    for (const name of alive) {
      await eventually(async () => {
        const { settings } = await c.settings(name);
        const missing = acknowledged.filter((k) => settings[k] === undefined);
        assert.deepEqual(missing.slice(0, 5), [], `${name} misses ${missing.length} acknowledged writes`);
      }, 15_000, 200);
    }
    for (const member of [leader, 'core']) if (c.processes.get(member)?.exitCode !== null || c.processes.get(member)?.signalCode) await c.startNode(member);
  });

  it('one etcd member killed: still writable; two killed: core-owned writes refused naming etcd, reads served; quorum back: writable', async () => {
    const c = cluster!;
    await c.killEtcd(0);
    let down = [0];
    try {
      await withOneOrTwoEtcdDown(c, (index) => void (down = [...down, index]));
    } finally {
      // Whatever failed, the next tests get a whole etcd again.
      for (const index of down) if (c.etcd[index]?.process.exitCode !== null || c.etcd[index]?.process.signalCode) c.startEtcdMember(index);
    }
    await eventually(() => c.api('berlin').setSetting('etcd.back', 'yes'), 20_000, 250);
    await eventually(async () => assert.equal((await c.settings('core-3')).settings['etcd.back'], 'yes'), 10_000, 100);
    // Every member writable again, not only the one berlin links to (CI once saw core-2 refuse the next test's write
    // with its etcd breakers still open; a call now waits for them to half-open: etcd-port.test.ts).
    for (const name of MEMBERS) await eventually(() => c.api(name).setSetting(`etcd.back.${name}`, 'yes'), 20_000, 250);
  });

  async function withOneOrTwoEtcdDown(c: Cluster, killed: (index: number) => void): Promise<void> {
    await eventually(() => c.api('core-2').setSetting('etcd.one.down', 'yes'), 10_000, 200);
    await eventually(async () => assert.equal(await etcdUpGauge(c, 'core-2'), 1, 'etcd up with one member down'), 5_000, 100);
    // Every member's mirror has the write before quorum goes (a member whose etcd endpoint was the one
    // killed catches up once its watch has moved to another: CI once saw core-3 still without it).
    for (const name of ['core-2', 'core-3', 'eu', 'berlin']) {
      await eventually(async () => assert.equal((await c.settings(name)).settings['etcd.one.down'], 'yes', `${name} has the write`), 15_000, 100);
    }
    await c.killEtcd(1);
    killed(1);
    const started = c.clock.nowMs();
    await assert.rejects(c.api('core-2').setSetting('etcd.two.down', 'no'), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'UNAVAILABLE', `UNAVAILABLE, got ${err.code}: ${err.message}`);
      assert.match(err.message, /etcd/, 'the error names etcd');
      assert.match(err.message, /since/, 'and says since when');
      return true;
    });
    assert.ok(c.clock.nowMs() - started < 10_000, 'refused within seconds, not hung');
    assert.equal(await etcdUpGauge(c, 'core-2'), 0, 'strata_core_group_etcd_up says so');
    await assert.rejects(c.api('berlin').setSetting('etcd.two.down.site', 'no'), (err: Error & { code?: string }) => {
      assert.match(err.message, /etcd/, `a write through a site says etcd too (got ${err.code}: ${err.message})`);
      return true;
    });
    for (const name of ['core-2', 'core-3', 'eu', 'berlin']) {
      const { settings } = await c.settings(name);
      assert.equal(settings['etcd.one.down'], 'yes', `${name} still serves reads`);
    }
  }

  it('the leader trims the change logs in etcd to store.compaction.keepChanges', async () => {
    const c = cluster!;
    const etcd = new EtcdPort({ endpoints: c.etcdSpecs.map((s) => `127.0.0.1:${s.clientPort}`), callTimeoutMs: 2000, nowMs: () => c.clock.nowMs() });
    try {
      const layout = new SharedLayout('/strata/');
      await eventually(async () => {
        const { kvs } = await etcd.range(layout.logOf('settings'), prefixEnd(layout.logOf('settings')), 0, 1000);
        assert.ok(kvs.length > 0 && kvs.length <= 60, `settings keeps ${kvs.length} changes in etcd (keepChanges 50)`);
      }, 10_000, 200);
    } finally {
      etcd.close();
    }
  });

  it("members restarted after missing writes catch up from etcd; a member whose store was deleted is rebuilt from etcd", async () => {
    const c = cluster!;
    await c.kill('core-3');
    rmSync(path.join(dir, 'core-3', 'store'), { recursive: true, force: true });
    await c.api('core-2').setSetting('while.core-3.gone', '1');
    await c.startNode('core-3');
    const reference = (await c.settings('core-2')).settings;
    for (const name of ['core', 'core-3']) {
      await eventually(async () => {
        const { settings } = await c.settings(name);
        assert.deepEqual(settings, reference, `${name} holds what etcd holds`);
      }, 15_000, 200);
    }
  });

  it('etcd rolled back (as a snapshot restore does): `strata core-group renew-epochs` brings every node to the restored state, no forked history', async () => {
    const c = cluster!;
    const endpoints = c.etcdSpecs.map((s) => `127.0.0.1:${s.clientPort}`);
    const etcd = new EtcdPort({ endpoints, callTimeoutMs: 2000, nowMs: () => c.clock.nowMs() });
    const layout = new SharedLayout('/strata/');
    try {
      await c.api('core').setSetting('snap.before', 'yes');
      await eventually(async () => assert.equal((await c.settings('berlin')).settings['snap.before'], 'yes'), 10_000, 100);
      // The "snapshot": the settings dataset's meta and records as etcd holds them now.
      const meta = (await etcd.get(layout.meta('settings'))).kv!;
      const records = (await etcd.range(layout.recordsOf('settings'), prefixEnd(layout.recordsOf('settings')), 0, 10_000)).kvs;
      const seqAtSnapshot = JSON.parse(meta.value.toString()).seq as number;
      for (const key of ['snap.after1', 'snap.after2', 'snap.after3']) await c.api('core-2').setSetting(key, 'lost');
      await eventually(async () => assert.equal((await c.settings('berlin')).settings['snap.after3'], 'lost'), 10_000, 100);
      // The "restore": meta, records and log back as they were (members and berlin hold newer copies in the same epoch).
      // Guarded by the meta like a member's write: the leader's log trim also rewrites the meta, so a lost race is tried again.
      const unchanged = async (ops: TxnOp[]): Promise<void> => {
        for (let attempt = 1; ; attempt++) {
          const { modRevision } = (await etcd.get(layout.meta('settings'))).kv!;
          if ((await etcd.txnIfUnchanged(layout.meta('settings'), modRevision, ops)).succeeded) return;
          assert.ok(attempt < 10, 'the restore transaction lost 10 races in a row with writes to the settings meta');
        }
      };
      await unchanged([
        { deleteFrom: layout.recordsOf('settings'), to: prefixEnd(layout.recordsOf('settings')) },
        { deleteFrom: layout.log('settings', seqAtSnapshot + 1), to: prefixEnd(layout.logOf('settings')) },
      ]);
      await unchanged([...records.map((r) => ({ put: r.key, value: r.value })), { put: layout.meta('settings'), value: meta.value }]);
      const result = await runStrata(['core-group', 'renew-epochs', '--etcd', endpoints.join(',')]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /renewed the epoch of \d+ datasets under \/strata\//);
      // (An earlier test left a record that is not JSON: members pass it over.)
      const parsed = (text: string): unknown => {
        try {
          return JSON.parse(text);
        } catch {
          return undefined;
        }
      };
      const expected = Object.fromEntries(records.map((r) => [r.key.slice(layout.recordsOf('settings').length), parsed(r.value.toString())]).filter(([, v]) => v !== undefined));
      assert.equal(expected['snap.before'], 'yes');
      for (const name of [...MEMBERS, 'eu', 'berlin']) {
        await eventually(async () => assert.deepEqual((await c.settings(name)).settings, expected, `${name} holds the restored settings`), 15_000, 200);
      }
      await c.api('core-3').setSetting('snap.next', 'yes');
      await eventually(async () => assert.equal((await c.settings('berlin')).settings['snap.next'], 'yes'), 10_000, 100);
      assert.deepEqual(Object.keys((await c.settings('berlin')).settings).filter((k) => k.startsWith('snap.after')), [], 'nothing written after the snapshot survives anywhere');
    } finally {
      etcd.close();
    }
  });
});
