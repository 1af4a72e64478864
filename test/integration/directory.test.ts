// The directory with real node processes and a real LDAP client (ldapjs's):
// binds at every tier, search semantics, writes through replicas to their
// owners with read-your-writes, access rules, referrals and chained binds,
// throttling, malformed input, and a site cut off from every parent.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadDemoData } from '../../src/cli/up/demo-data';
import { SystemClock } from '../../src/kernel/clock';
import { Cluster } from '../support/cluster';
import { eventually } from '../support/eventually';
import { ADMIN, ALICE, BASE, BOB, ldapCode, LdapClient, LdapClients, pipelinedBinds, SENSOR } from '../support/ldap-client';
import { runStrata } from '../support/strata-cli';
import { rawExchange } from '../support/raw-socket';

// Twice: each node process serving LDAP itself, and the sites with two LDAP worker processes (directory.workers).
for (const workers of [0, 2]) describe(`directory (real processes, real LDAP client${workers ? ', LDAP served by two worker processes at the sites' : ''})`, function () {
  this.timeout(180_000);
  let dataDir: string;
  let cluster: Cluster;
  const clients = new LdapClients((node) => cluster.ldap.get(node)!);
  const as = clients.as.bind(clients);

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-directory-'));
    const sites = { directory: { workers } };
    cluster = await Cluster.start(dataDir, { perNode: { berlin: sites, paris: sites, nyc: sites, sfo: sites } });
    await loadDemoData(cluster.endpoints(), cluster.basePort + 90, new SystemClock(), cluster.tls);
    await eventually(async () => {
      await (await as('sfo', SENSOR, 'sensor-demo')).whoAmI();
    }, 15_000, 200);
  });

  /** Entries a test creates, deleted after it whatever happened, so a failed test does not change what the next one sees. */
  const created: string[] = [];
  const remember = (...dns: string[]): void => void created.push(...dns);

  afterEach(async () => {
    clients.closeAll();
    if (created.length === 0) return;
    const admin = await LdapClient.bound(cluster.ldap.get('core')!, ADMIN, 'admin-demo').catch(() => undefined);
    for (const dn of created.splice(0).reverse()) await admin?.del(dn).catch(() => undefined); // gone already when the test passed
    admin?.close();
  });

  after(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('binds with the demo passwords at every tier; WhoAmI names the entry; wrong passwords and anonymous reads are refused', async () => {
    for (const node of ['core', 'eu', 'berlin', 'sfo']) {
      assert.equal(await (await as(node, ALICE, 'alice-demo')).whoAmI(), `dn:${ALICE}`, `at ${node}`);
    }
    assert.equal(await ldapCode(LdapClient.bound(cluster.ldap.get('berlin')!, BOB, 'not-bobs')), 49);
    assert.equal(await ldapCode(LdapClient.bound(cluster.ldap.get('berlin')!, BOB, '')), 53, 'a DN without a password is an unauthenticated bind');
    const anonymous = clients.anonymous('berlin');
    assert.equal(await ldapCode(anonymous.search(BASE)), 50);
    const [dse] = await anonymous.search('', { scope: 'base', attributes: ['namingContexts', 'supportedExtension'] });
    assert.deepEqual(dse!.attrs['namingContexts'], [BASE]);
    assert.ok(dse!.attrs['supportedExtension']!.includes('1.3.6.1.4.1.4203.1.11.3'));
  });

  it('searches every scope with filters, memberOf, attribute selection, secrets for the admin only, size limits and pages', async () => {
    const alice = await as('berlin', ALICE, 'alice-demo');
    const people = await alice.search(`ou=people,${BASE}`, { filter: '(&(objectClass=inetOrgPerson)(|(uid=bob)(cn=ALICE*)))', attributes: ['uid', 'memberOf', 'userPassword'] });
    assert.deepEqual(people.map((e) => e.dn).sort(), [ALICE, BOB]);
    assert.deepEqual(people.find((e) => e.dn === BOB)!.attrs['memberOf'], [`cn=staff,ou=groups,${BASE}`]);
    assert.equal(people[0]!.attrs['userPassword'], undefined, 'userPassword is never shown to a user');
    assert.deepEqual((await alice.search(BASE, { scope: 'one' })).map((e) => e.dn).sort(), [ADMIN, `ou=groups,${BASE}`, `ou=people,${BASE}`, `ou=services,${BASE}`, `ou=sites,${BASE}`].sort());
    assert.deepEqual((await alice.search(BOB, { scope: 'base', attributes: ['1.1'] })).map((e) => Object.keys(e.attrs).length), [0]);
    assert.equal(await ldapCode(alice.search(`uid=nobody,ou=people,${BASE}`, { scope: 'base' })), 32);
    assert.equal(await ldapCode(alice.search(BASE, { sizeLimit: 2 })), 4);
    const paged = await alice.search(BASE, { paged: 2 });
    const whole = await alice.search(BASE);
    assert.deepEqual(paged.map((e) => e.dn), whole.map((e) => e.dn), 'pages of 2 add up to the whole result');
    assert.ok(whole.length > 6);
    assert.ok(whole.some((e) => e.dn === BASE), 'a subtree search includes its base (RFC 4511 §4.5.1.2)');
    // Pages resume after the last entry sent (keyset cookies): entries added before the position, or deleted, between pages shift nothing.
    const early = Array.from({ length: 4 }, (_, i) => `cn=aapage${i},${BASE}`); // sorts right after the base, before what page 1 sent
    remember(...early);
    const writer = await as('berlin', ADMIN, 'admin-demo');
    const during = await alice.search(BASE, {
      paged: 2,
      betweenPages: async (page) => {
        if (page === 2) for (const dn of early) await writer.add(dn, { objectClass: 'device', cn: dn.slice(3, dn.indexOf(',')) });
        if (page === 3) for (const dn of early.slice(0, 3)) await writer.del(dn);
      },
    });
    const seen = during.map((e) => e.dn);
    assert.equal(new Set(seen).size, seen.length, `no entry twice: ${seen.join(' ')}`);
    const steady = whole.map((e) => e.dn);
    for (const dn of steady) assert.ok(seen.includes(dn), `${dn} (there throughout) is in a page`);
    const admin = await as('berlin', ADMIN, 'admin-demo');
    const [withSecret] = await admin.search(BOB, { scope: 'base', attributes: ['userPassword'] });
    assert.match(withSecret!.attrs['userPassword']![0]!, /^\{PBKDF2-SHA512\}\d+\$/, 'stored as a salted hash');
    assert.equal(await alice.compare(BOB, 'cn', 'bob example'), true);
    assert.equal(await alice.compare(BOB, 'memberOf', `cn=staff,ou=groups,${BASE}`), true);
    assert.equal(await alice.compare(BOB, 'cn', 'someone else'), false);
  });

  it('writes through a replica to the owner: visible where made when the call returns, at another region soon after', async () => {
    const admin = await as('berlin', ADMIN, 'admin-demo');
    const dn = `uid=carol,ou=people,${BASE}`;
    remember(dn, `uid=caroline,ou=people,${BASE}`);
    await admin.add(dn, { objectClass: ['inetOrgPerson'], cn: 'Carol', sn: 'Example', userPassword: 'carol-1' });
    assert.equal((await admin.search(dn, { scope: 'base' })).length, 1, 'read-your-writes at berlin');
    const carol = await as('berlin', dn, 'carol-1');
    await carol.modify(dn, 'replace', 'userPassword', ['carol-2']);
    await as('berlin', dn, 'carol-2'); // the new password works where it was changed, at once
    const since = Date.now();
    await eventually(async () => assert.equal(await (await as('sfo', dn, 'carol-2')).whoAmI(), `dn:${dn}`), 10_000, 50);
    console.log(`      (sfo accepted the new password ${Date.now() - since} ms after berlin's call returned)`);
    await admin.modify(dn, 'add', 'mail', ['carol@edge.example']);
    assert.equal(await ldapCode(admin.modify(dn, 'add', 'mail', ['carol@edge.example'])), 20);
    assert.equal(await ldapCode(admin.modify(dn, 'delete', 'uid', ['carol'])), 67);
    assert.equal(await ldapCode(admin.modify(dn, 'replace', 'userPassword;binary', ['plain'])), 17, 'no way around hashing');
    await admin.modifyDn(dn, `uid=caroline,ou=people,${BASE}`);
    assert.equal(await ldapCode(admin.search(dn, { scope: 'base' })), 32);
    assert.equal(await ldapCode(admin.del(`ou=people,${BASE}`)), 66);
    await admin.del(`uid=caroline,ou=people,${BASE}`);
    await eventually(async () => assert.equal(await ldapCode((await as('sfo', ALICE, 'alice-demo')).search(`uid=caroline,ou=people,${BASE}`, { scope: 'base' })), 32), 10_000, 50);
  });

  it('decides one winner when two sites add the same entry at once (checked at the owner)', async () => {
    const dn = `uid=dave,ou=people,${BASE}`;
    remember(dn);
    const [berlin, sfo] = [await as('berlin', ADMIN, 'admin-demo'), await as('sfo', ADMIN, 'admin-demo')];
    const codes = await Promise.all([ldapCode(berlin.add(dn, { objectClass: 'person', cn: 'Dave', sn: 'B' })), ldapCode(sfo.add(dn, { objectClass: 'person', cn: 'Dave', sn: 'S' }))]);
    assert.deepEqual(codes.sort(), [0, 68]);
    await berlin.del(dn);
  });

  it('lets a site admin write its own site only; users write nothing but their password', async () => {
    const alice = await as('berlin', ALICE, 'alice-demo'); // member of cn=admins,ou=berlin,…
    const printer = `cn=printer,ou=devices,ou=berlin,ou=sites,${BASE}`;
    remember(printer, `uid=eve,ou=people,${BASE}`, `cn=x,ou=paris,ou=sites,${BASE}`);
    await alice.add(printer, { objectClass: 'device', cn: 'printer' });
    assert.equal(await ldapCode(alice.add(`uid=eve,ou=people,${BASE}`, { objectClass: 'person', cn: 'Eve', sn: 'E' })), 50);
    const atCore = await as('core', ALICE, 'alice-demo');
    assert.equal(await ldapCode(atCore.add(`cn=x,ou=paris,ou=sites,${BASE}`, { objectClass: 'device', cn: 'x' })), 50);
    const bob = await as('berlin', BOB, 'bob-demo');
    assert.equal(await ldapCode(bob.del(printer)), 50);
    assert.equal(await ldapCode(bob.modify(ALICE, 'replace', 'userPassword', ['mine-now'])), 50);
    await alice.del(printer);
  });

  it('refers a search for a subtree not held here to the parent, and chains a bind for it', async () => {
    const alice = await as('berlin', ALICE, 'alice-demo');
    const err = await alice.search(`ou=paris,ou=sites,${BASE}`).then(() => undefined, (e: Error & { code: number }) => e);
    assert.equal(err?.code, 10, 'referral');
    const device = await as('paris', SENSOR, 'sensor-demo'); // paris does not hold berlin's subtree: eu checks the password
    assert.equal(await device.whoAmI(), `dn:${SENSOR}`);
    assert.equal(await ldapCode(LdapClient.bound(cluster.ldap.get('paris')!, SENSOR, 'wrong')), 49);
  });

  it('chains writes to a subtree not held here (another site\'s) to its owner, without a referral', async () => {
    const admin = await as('berlin', ADMIN, 'admin-demo');
    const dn = `cn=cam,ou=paris,ou=sites,${BASE}`;
    remember(dn);
    await admin.add(dn, { objectClass: ['device', 'simpleSecurityObject'], cn: 'cam', userPassword: 'cam-1' });
    const cam = await as('paris', dn, 'cam-1'); // written at paris, its owner
    assert.equal(await cam.whoAmI(), `dn:${dn}`);
    await admin.modify(dn, 'add', 'description', ['a camera at paris, added through berlin']);
    assert.equal((await (await as('paris', ADMIN, 'admin-demo')).search(dn, { scope: 'base', attributes: ['description'] }))[0]!.attrs['description']![0], 'a camera at paris, added through berlin');
    const self = await as('berlin', dn, 'cam-1'); // a chained bind
    await self.modify(dn, 'replace', 'userPassword', ['cam-2']);
    await as('paris', dn, 'cam-2');
    assert.equal(await ldapCode(admin.add(dn, { objectClass: 'device', cn: 'cam' })), 68);
    assert.equal(await ldapCode(admin.add(`cn=x,ou=nowhere,ou=paris,ou=sites,${BASE}`, { objectClass: 'device', cn: 'x' })), 32, 'the parent must exist at the owner');
    assert.equal(await ldapCode(admin.del(`ou=paris,ou=sites,${BASE}`)), 53);
    await admin.del(dn);
    assert.equal(await ldapCode((await as('paris', ADMIN, 'admin-demo')).search(dn, { scope: 'base' })), 32);
  });

  it('throttles failed binds per entry: after 5 failures even the right password waits', async () => {
    const admin = await as('core', ADMIN, 'admin-demo');
    const dn = `uid=mallory,ou=people,${BASE}`;
    remember(dn);
    await admin.add(dn, { objectClass: 'person', cn: 'Mallory', sn: 'M', userPassword: 'right' });
    for (let i = 0; i < 5; i++) assert.equal(await ldapCode(LdapClient.bound(cluster.ldap.get('core')!, dn, `wrong-${i}`)), 49);
    assert.equal(await ldapCode(LdapClient.bound(cluster.ldap.get('core')!, dn, 'right')), 49);
    await as('berlin', dn, 'right'); // throttling is local state: another node still accepts it
    await admin.del(dn);
  });

  it('binds pipelined on one connection try no more passwords than the throttle allows (each sees the failures before it)', async () => {
    const admin = await as('core', ADMIN, 'admin-demo');
    const dn = `uid=trudy,ou=people,${BASE}`;
    remember(dn);
    await admin.add(dn, { objectClass: 'person', cn: 'Trudy', sn: 'T', userPassword: 'right' });
    await eventually(async () => (await as('berlin', dn, 'right')).whoAmI(), 10_000, 100);
    // Twelve wrong passwords and then the right one, in one write (from an address of their own).
    const answers = await pipelinedBinds(cluster.ldap.get('berlin')!, dn, [...Array.from({ length: 12 }, (_, i) => `wrong-${i}`), 'right'], '127.0.0.2');
    assert.deepEqual(answers.map((a) => a.id), Array.from({ length: 13 }, (_, i) => i + 1), 'every bind answered, in order');
    assert.ok(answers.every((a) => a.code === 49), `all refused, the right password too: ${answers.map((a) => a.code).join(' ')}`);
    assert.deepEqual(answers.map((a) => /too many failed binds/.test(a.message)), [...Array<boolean>(5).fill(false), ...Array<boolean>(8).fill(true)], answers.map((a) => a.message).join(' | '));
    await admin.del(dn);
  });

  it('imports and exports LDIF and manages people from the CLI, through any node', async () => {
    const file = path.join(dataDir, 'import.ldif');
    remember(`ou=kiosks,ou=berlin,ou=sites,${BASE}`, `cn=k1,ou=kiosks,ou=berlin,ou=sites,${BASE}`, `uid=oscar,ou=people,${BASE}`);
    writeFileSync(file, `dn: ou=kiosks,ou=berlin,ou=sites,${BASE}\nobjectClass: organizationalUnit\nou: kiosks\n\ndn: cn=k1,ou=kiosks,ou=berlin,ou=sites,${BASE}\nobjectClass: device\nobjectClass: simpleSecurityObject\ncn: k1\nuserPassword: k1-secret\n`);
    const imported = await runStrata(['ldif', 'import', file, ...cluster.target('paris')]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /imported 2 entries .*: 2 added, 0 replaced/);
    assert.equal(await (await as('berlin', `cn=k1,ou=kiosks,ou=berlin,ou=sites,${BASE}`, 'k1-secret')).whoAmI(), `dn:cn=k1,ou=kiosks,ou=berlin,ou=sites,${BASE}`);
    const again = await runStrata(['ldif', 'import', file, ...cluster.target('paris')]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /ou=kiosks,ou=berlin,ou=sites,dc=edge,dc=example already exists.*; use --replace/);
    const exported = await runStrata(['ldif', 'export', '--base', `ou=kiosks,ou=berlin,ou=sites,${BASE}`, ...cluster.target('eu')]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /^dn: cn=k1,ou=kiosks,ou=berlin,ou=sites,dc=edge,dc=example$/m);
    assert.doesNotMatch(exported.stdout, /userPassword/, 'no hashes unless --secrets');
    const exportFile = path.join(dataDir, 'export.ldif');
    writeFileSync(exportFile, exported.stdout);
    assert.equal((await runStrata(['ldif', 'import', exportFile, '--replace', ...cluster.target('berlin')])).code, 0);
    assert.equal(await (await as('berlin', `cn=k1,ou=kiosks,ou=berlin,ou=sites,${BASE}`, 'k1-secret')).whoAmI(), `dn:cn=k1,ou=kiosks,ou=berlin,ou=sites,${BASE}`, 'an export without hashes, imported with --replace, keeps the passwords');
    assert.match((await runStrata(['ldif', 'export', '--secrets', '--base', `ou=kiosks,ou=berlin,ou=sites,${BASE}`, ...cluster.target('eu')])).stdout, /userPassword: \{PBKDF2-SHA512\}/);

    const added = await runStrata(['user', 'add', 'oscar', '--password', 'oscar-1', '--cn', 'Oscar Example', ...cluster.target('nyc')]);
    assert.equal(added.code, 0, added.stderr);
    await eventually(async () => assert.equal(await (await as('berlin', `uid=oscar,ou=people,${BASE}`, 'oscar-1')).whoAmI(), `dn:uid=oscar,ou=people,${BASE}`), 10_000, 50);
    assert.equal((await runStrata(['user', 'passwd', 'oscar', '--password', 'oscar-2', ...cluster.target('nyc')])).code, 0);
    await as('nyc', `uid=oscar,ou=people,${BASE}`, 'oscar-2');
    assert.match((await runStrata(['user', 'ls', ...cluster.target('sfo')])).stdout, /uid=oscar,ou=people,dc=edge,dc=example\tOscar Example/);
    assert.equal((await runStrata(['user', 'rm', 'oscar', ...cluster.target('nyc')])).code, 0);
    const gone = await runStrata(['user', 'rm', 'oscar', ...cluster.target('core')]);
    assert.match(gone.stderr, /no entry uid=oscar,ou=people,dc=edge,dc=example/);
  });

  it('serves LDAPS with the node\'s certificate (self-signed in <dataDir>/tls/ until configured)', async () => {
    const ca = readFileSync(path.join(dataDir, 'berlin', 'tls', 'ldaps.crt'), 'utf8');
    const secure = await LdapClient.bound(cluster.ldaps.get('berlin')!, ALICE, 'alice-demo', ca);
    clients.keep(secure);
    assert.equal(await secure.whoAmI(), `dn:${ALICE}`);
    const otherCa = readFileSync(path.join(dataDir, 'paris', 'tls', 'ldaps.crt'), 'utf8');
    await assert.rejects(LdapClient.bound(cluster.ldaps.get('berlin')!, ALICE, 'alice-demo', otherCa), /self.signed|certificate/i, 'a client that does not trust the certificate is refused');
  });

  it('survives malformed LDAP messages and answers the next client', async () => {
    const [host, port] = cluster.ldap.get('berlin')!.split(':');
    for (const payload of [randomBytes(64), Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), Buffer.from('hello\r\n'), Buffer.from([0x30, 0x05, 0x02, 0x01, 0x01, 0x63, 0x00])]) {
      await new Promise<void>((resolve) => {
        const socket = net.connect(Number(port), host, () => socket.end(payload));
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        socket.setTimeout(1000, () => socket.destroy());
      });
    }
    assert.equal(await (await as('berlin', ALICE, 'alice-demo')).whoAmI(), `dn:${ALICE}`);
  });

  it('answers a message whose nested length lies (the 63-byte node killer) with a Notice of Disconnection, over LDAP and LDAPS, counts it, and keeps serving', async () => {
    const attack = Buffer.from('303d020107663804247569643d626f622c6f753d70656f706c652c64633d656467652c64633d6578616d706c653010300e0a010230090402636e3103044178', 'hex');
    const [host, port] = cluster.ldap.get('berlin')!.split(':');
    const metrics = `http://${host}:${Number(port) + 2}/metrics`;
    const malformed = async (): Promise<number> => Number(/strata_ldap_malformed_total(?:{[^}]*})? (\d+)/.exec(await (await fetch(metrics)).text())?.[1] ?? 0);
    const before = await malformed();
    const replies = [await rawExchange(cluster.ldap.get('berlin')!, attack), await rawExchange(cluster.ldaps.get('berlin')!, attack, true)];
    for (const reply of replies) {
      assert.equal(reply.closed, true, 'the server closes the connection');
      // LDAPMessage { messageID 0, ExtendedResponse { resultCode protocolError (2) … responseName 1.3.6.1.4.1.1466.20036 } }
      const body = reply.bytes.subarray(reply.bytes[1]! < 0x80 ? 2 : 2 + (reply.bytes[1]! & 0x7f));
      assert.deepEqual([...body.subarray(0, 4)], [0x02, 0x01, 0x00, 0x78]);
      const result = body.subarray(body[4]! < 0x80 ? 5 : 5 + (body[4]! & 0x7f));
      assert.deepEqual([...result.subarray(0, 3)], [0x0a, 0x01, 0x02]);
      assert.match(reply.bytes.toString('latin1'), /1\.3\.6\.1\.4\.1\.1466\.20036$/);
    }
    assert.equal(await malformed(), before + 2);
    assert.equal(await (await as('berlin', ALICE, 'alice-demo')).whoAmI(), `dn:${ALICE}`);
    assert.ok((await fetch(`http://${host}:${Number(port) + 2}/healthz`)).ok);
  });

  it('answers a search with an unknown scope with protocolError (2) and keeps the connection (ldapjs alone dropped it)', async () => {
    const tlv = (tag: number, value: Buffer): Buffer => Buffer.concat([Buffer.from([tag, value.length]), value]);
    const search = tlv(0x63, Buffer.concat([tlv(0x04, Buffer.alloc(0)), tlv(0x0a, Buffer.from([7])), tlv(0x0a, Buffer.from([0])), tlv(0x02, Buffer.from([0])), tlv(0x02, Buffer.from([0])), tlv(0x01, Buffer.from([0])), tlv(0x87, Buffer.from('objectClass')), tlv(0x30, Buffer.alloc(0))]));
    const reply = await rawExchange(cluster.ldap.get('berlin')!, tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([5])), search])), false, 700);
    assert.equal(reply.closed, false, 'the connection stays open');
    // LDAPMessage { messageID 5, SearchResultDone { resultCode protocolError (2), … } }
    assert.deepEqual([...reply.bytes.subarray(2, 6)], [0x02, 0x01, 0x05, 0x65]);
    assert.deepEqual([...reply.bytes.subarray(7, 10)], [0x0a, 0x01, 0x02]);
    assert.match(reply.bytes.toString('latin1'), /search scope 7 is not one of base/);
  });

  it('makes a connection anonymous again on an anonymous bind (RFC 4511 §4.2.1): the previous identity is gone', async () => {
    const client = await as('berlin', ALICE, 'alice-demo');
    assert.equal(await client.whoAmI(), `dn:${ALICE}`);
    await client.bind('', '');
    assert.equal(await client.whoAmI(), '');
    assert.equal(await ldapCode(client.search(`ou=people,${BASE}`)), 50, 'people are not readable anonymously');
    await assert.rejects(client.bind(ALICE, 'wrong'));
    assert.equal(await client.whoAmI(), '', 'a failed bind leaves the connection anonymous too');
  });

  it('keeps a site cut off from every parent answering binds and searches, writing its own subtree, refusing the rest with unavailable (52)', async () => {
    remember(`cn=offline,ou=devices,ou=berlin,ou=sites,${BASE}`, `uid=frank,ou=people,${BASE}`);
    await cluster.kill('eu');
    await cluster.kill('core');
    const admin = await as('berlin', ADMIN, 'admin-demo');
    assert.equal(await (await as('berlin', ALICE, 'alice-demo')).whoAmI(), `dn:${ALICE}`);
    await admin.add(`cn=offline,ou=devices,ou=berlin,ou=sites,${BASE}`, { objectClass: 'device', cn: 'offline' });
    const err = await admin.add(`uid=frank,ou=people,${BASE}`, { objectClass: 'person', cn: 'F', sn: 'F' }).then(() => undefined, (e: Error & { code: number }) => e);
    assert.equal(err?.code, 52);
    // (ldapjs's client drops the diagnostic message; the conformance suite checks it with ldapadd.)
    assert.equal(await ldapCode(LdapClient.bound(cluster.ldap.get('berlin')!, `cn=x,ou=paris,ou=sites,${BASE}`, 'pw')), 52, 'a chained bind with no parent is unavailable, not invalid');
    assert.equal(await ldapCode(admin.modify(`ou=paris,ou=sites,${BASE}`, 'replace', 'description', ['x'])), 52, 'a chained write with no parent is unavailable');
    await cluster.startNode('core');
    await eventually(async () => {
      await admin.add(`uid=frank,ou=people,${BASE}`, { objectClass: 'person', cn: 'F', sn: 'F' });
    }, 20_000, 500);
  });
});
