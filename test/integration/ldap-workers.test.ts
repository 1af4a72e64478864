// LDAP worker processes (directory.workers) with real processes and a real
// LDAP client: the workers serve binds and searches from the node's store
// (read only) even while the node process is stopped; failed binds spread
// over the workers lock the entry at every one (the throttle's counts are
// the node's); a write through one worker is visible through the others
// when its call returns; operations are counted at the node; a worker
// killed with -9 is replaced and a node killed with -9 takes its workers
// with it. (directory.test.ts runs its whole suite with workers too.)

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDemoData } from '../../src/cli/up/demo-data';
import { SystemClock } from '../../src/kernel/clock';
import { Cluster } from '../support/cluster';
import { eventually } from '../support/eventually';
import { ADMIN, ALICE, BASE, BOB, ldapCode, LdapClient, pipelinedBinds } from '../support/ldap-client';
import { childrenOf } from '../support/processes';
import { isAlive } from '../support/strata-cli';

const WORKERS = 2;

describe('LDAP worker processes (real processes, real LDAP client)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let cluster: Cluster;
  const berlin = (): string => cluster.ldap.get('berlin')!;
  const berlinPid = (): number => cluster.processes.get('berlin')!.pid!;
  const open: LdapClient[] = [];
  const bound = async (dn: string, password: string): Promise<LdapClient> => {
    const client = await LdapClient.bound(berlin(), dn, password);
    open.push(client);
    return client;
  };

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-ldap-workers-'));
    // eu's workers: locks counted in eu's node process for binds chained to it from berlin must reach them.
    cluster = await Cluster.start(dataDir, { perNode: { berlin: { directory: { workers: WORKERS } }, eu: { directory: { workers: WORKERS } } } });
    await loadDemoData(cluster.endpoints(), cluster.basePort + 90, new SystemClock(), cluster.tls);
    await eventually(async () => void (await bound(ALICE, 'alice-demo')), 15_000, 200);
  });

  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });

  after(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves binds and searches from the workers, new connections included, while the node process is stopped (SIGSTOP)', async () => {
    assert.equal(childrenOf(berlinPid()).length, WORKERS, 'the workers run as children of the node');
    process.kill(berlinPid(), 'SIGSTOP');
    try {
      for (let i = 0; i < 4; i++) {
        const client = await bound(BOB, 'bob-demo');
        await client.bind(ALICE, 'alice-demo');
        assert.equal(await client.whoAmI(), `dn:${ALICE}`);
        const found = await client.search(`ou=people,${BASE}`, { filter: '(uid=bob)', attributes: ['uid', 'memberOf'] });
        assert.deepEqual(found.map((e) => [e.dn, e.attrs['memberOf']]), [[BOB, [`cn=staff,ou=groups,${BASE}`]]]);
        assert.equal(await ldapCode(client.bind(BOB, 'not-bobs')), 49);
      }
    } finally {
      process.kill(berlinPid(), 'SIGCONT');
    }
  });

  it('counts the workers\' operations in the node\'s metrics', async () => {
    const metric = async (): Promise<number> => {
      const text = await (await fetch(`http://${cluster.http.get('berlin')}/metrics`)).text();
      return Number(/strata_ldap_operations_total\{[^}]*operation="bind"[^}]*code="0"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    const before = await metric();
    for (let i = 0; i < 4; i++) await bound(ALICE, 'alice-demo');
    await eventually(async () => assert.ok((await metric()) >= before + 4, `binds counted: ${await metric()} after ${before}`), 5000, 200);
  });

  it('locks an entry at every worker after failed binds spread over them (the counts are the node\'s)', async () => {
    const admin = await LdapClient.bound(cluster.ldap.get('core')!, ADMIN, 'admin-demo');
    const dn = `uid=mallory-w,ou=people,${BASE}`;
    try {
      await admin.add(dn, { objectClass: 'person', cn: 'Mallory', sn: 'M', userPassword: 'right' });
      await eventually(async () => void (await bound(dn, 'right')), 10_000, 100);
      // Each failure on a new connection: the node deals them round-robin, so every worker sees some.
      for (let i = 0; i < 5; i++) assert.equal(await ldapCode(LdapClient.bound(berlin(), dn, `wrong-${i}`)), 49);
      for (let i = 0; i < 2 * WORKERS; i++) {
        // (ldapjs's client does not pass the server's diagnostic on; ldap.test.ts reads it with ldapwhoami.)
        assert.equal(await ldapCode(LdapClient.bound(berlin(), dn, 'right')), 49, `the right password on connection ${i} is refused while locked`);
      }
    } finally {
      await admin.del(dn).catch(() => undefined);
      admin.close();
    }
  });

  it('a lock counted in the node process (binds chained from a child) reaches its workers; a worker started later (after a kill -9) knows the locks', async () => {
    const admin = await LdapClient.bound(cluster.ldap.get('core')!, ADMIN, 'admin-demo');
    const dn = `cn=locktest,ou=paris,ou=sites,${BASE}`;
    const held = `cn=locktest,ou=berlin,ou=sites,${BASE}`; // checked at berlin itself
    const locked = async (at: string, why: string, entry = dn): Promise<void> => {
      for (let i = 0; i < 2 * WORKERS; i++) assert.equal(await ldapCode(LdapClient.bound(at, entry, 'right')), 49, `${why}: the right password on connection ${i} is refused`);
    };
    try {
      // Each entry is added at its owner (CI once saw insufficientAccessRights for one of these adds made at the core
      // and forwarded down: see issue 11's notes), as this test is about the throttle, not forwarding.
      const atParis = await LdapClient.bound(cluster.ldap.get('paris')!, ADMIN, 'admin-demo');
      open.push(atParis);
      await atParis.add(dn, { objectClass: ['device', 'simpleSecurityObject'], cn: 'locktest', userPassword: 'right' });
      const euReader = await LdapClient.bound(cluster.ldap.get('eu')!, ADMIN, 'admin-demo');
      open.push(euReader);
      await eventually(async () => assert.equal((await euReader.search(dn, { scope: 'base' })).length, 1), 10_000, 100);
      // berlin does not hold paris's subtree: each bind is chained to eu, whose node process counts it.
      // (Each failure from an address of its own: the other tests' failures from 127.0.0.1 are near its limit.)
      for (let i = 0; i < 5; i++) assert.equal((await pipelinedBinds(berlin(), dn, [`wrong-${i}`], `127.0.1.${i + 1}`))[0]?.code, 49);
      await locked(cluster.ldap.get('eu')!, "at eu's workers");
      // An entry berlin checks itself, locked there; then both its workers replaced, one at a time.
      const reader = await bound(ADMIN, 'admin-demo');
      await reader.add(held, { objectClass: ['device', 'simpleSecurityObject'], cn: 'locktest', userPassword: 'right' });
      // Waited for by searching: a bind that fails while the entry is not there yet would count against it.
      await eventually(async () => assert.equal((await reader.search(held, { scope: 'base' })).length, 1), 10_000, 100);
      for (let i = 0; i < 5; i++) assert.equal((await pipelinedBinds(berlin(), held, [`wrong-${i}`], `127.0.2.${i + 1}`))[0]?.code, 49);
      for (const victim of childrenOf(berlinPid())) {
        process.kill(victim, 'SIGKILL');
        await eventually(async () => {
          const workers = childrenOf(berlinPid());
          assert.ok(workers.length === WORKERS && !workers.includes(victim), 'replaced');
          void (await bound(ALICE, 'alice-demo'));
        }, 10_000, 100);
      }
      await locked(berlin(), "at berlin's new workers", held);
    } finally {
      await admin.del(held).catch(() => undefined);
      await admin.del(dn).catch(() => undefined);
      admin.close();
    }
  });

  it('makes a write through one worker visible through every other when its call returns', async () => {
    const writer = await bound(ADMIN, 'admin-demo');
    const readers = await Promise.all(Array.from({ length: 2 * WORKERS }, () => bound(ADMIN, 'admin-demo')));
    const dn = `uid=kiosk-${Date.now()},ou=people,${BASE}`;
    await writer.add(dn, { objectClass: 'person', cn: 'Kiosk', sn: 'K', userPassword: 'kiosk-pw' });
    try {
      for (const [i, reader] of readers.entries()) assert.deepEqual((await reader.search(dn, { scope: 'base', attributes: ['cn'] })).map((e) => e.attrs['cn']), [['Kiosk']], `reader ${i}`);
      await bound(dn, 'kiosk-pw');
      await writer.modify(dn, 'replace', 'cn', ['Kiosk 2']);
      for (const [i, reader] of readers.entries()) assert.deepEqual((await reader.search(dn, { scope: 'base', attributes: ['cn'] })).map((e) => e.attrs['cn']), [['Kiosk 2']], `reader ${i} after the modify`);
    } finally {
      await writer.del(dn).catch(() => undefined);
    }
  });

  it('replaces a worker killed with -9, and binds go on', async () => {
    const [victim, survivor] = childrenOf(berlinPid());
    assert.ok(victim && survivor, 'two workers before the kill');
    process.kill(victim, 'SIGKILL');
    for (let i = 0; i < 10; i++) await eventually(async () => void (await bound(ALICE, 'alice-demo')), 5000, 50);
    await eventually(async () => {
      const workers = childrenOf(berlinPid());
      assert.equal(workers.length, WORKERS, 'back to two workers');
      assert.ok(workers.includes(survivor) && !workers.includes(victim));
    }, 5000, 100);
    assert.equal(cluster.processes.get('berlin')!.exitCode, null, 'the node kept running');
  });

  it('takes its workers with it when the node is killed with -9, and serves again on the same port after a restart', async () => {
    const workers = childrenOf(berlinPid());
    assert.equal(workers.length, WORKERS, 'the workers are seen before the kill (an empty list would make "gone" pass)');
    await cluster.kill('berlin');
    await eventually(async () => assert.deepEqual(workers.filter(isAlive), [], 'workers gone'), 3000, 50);
    await cluster.startNode('berlin');
    await eventually(async () => void (await bound(ALICE, 'alice-demo')), 15_000, 200);
    assert.equal(childrenOf(berlinPid()).length, WORKERS);
  });
});
