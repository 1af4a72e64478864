// LDAP conformance with OpenLDAP's own clients (Debian's ldap-utils) against
// a federation of real node processes: ldapwhoami, ldapsearch (filters,
// paged results, size limit, referrals), ldapadd/ldapmodify/ldapdelete/
// ldapmodrdn, ldapcompare and ldappasswd, and the diagnostic messages they
// print when a write cannot reach its owner.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDemoData } from '../../src/cli/up/demo-data';
import { SystemClock } from '../../src/kernel/clock';
import { Cluster } from '../support/cluster';
import { requireTools } from '../support/debian-tools';
import { eventually } from '../support/eventually';

const BASE = 'dc=edge,dc=example';
const ALICE = ['-D', `uid=alice,ou=people,${BASE}`, '-w', 'alice-demo'];
const ADMIN = ['-D', `cn=admin,${BASE}`, '-w', 'admin-demo'];

interface Run {
  code: number;
  out: string;
}

function run(tool: string, args: string[], input?: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(tool, args, { timeout: 20_000, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, out: `${stdout}${stderr}` });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

describe('LDAP conformance (ldap-utils)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let cluster: Cluster;
  const url = (node: string): string[] => ['-x', '-H', `ldap://${cluster.ldap.get(node)}`];

  before(async () => {
    requireTools(['ldapwhoami', 'ldapsearch', 'ldappasswd', 'ldapmodify']);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-conf-ldap-'));
    cluster = await Cluster.start(dataDir);
    await loadDemoData(cluster.endpoints(), cluster.basePort + 90, new SystemClock(), cluster.tls);
    await eventually(async () => assert.equal((await run('ldapwhoami', [...url('berlin'), ...ALICE])).code, 0), 15_000, 200);
  });

  after(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ldapwhoami binds at a site and names the entry; a wrong password is Invalid credentials (49)', async () => {
    const ok = await run('ldapwhoami', [...url('berlin'), ...ALICE]);
    assert.equal(ok.out.trim(), `dn:uid=alice,ou=people,${BASE}`);
    const bad = await run('ldapwhoami', [...url('berlin'), '-D', `uid=alice,ou=people,${BASE}`, '-w', 'nope']);
    assert.equal(bad.code, 49);
    assert.match(bad.out, /Invalid credentials \(49\)/);
  });

  it('ldapwhoami over LDAPS trusts the node\'s certificate file and refuses without it', async () => {
    const ca = path.join(dataDir, 'berlin', 'tls', 'ldaps.crt');
    const secure = await run('ldapwhoami', ['-x', '-H', `ldaps://${cluster.ldaps.get('berlin')}`, ...ALICE], undefined, { LDAPTLS_CACERT: ca });
    assert.equal(secure.out.trim(), `dn:uid=alice,ou=people,${BASE}`, secure.out);
    const untrusted = await run('ldapwhoami', ['-x', '-H', `ldaps://${cluster.ldaps.get('berlin')}`, ...ALICE], undefined, { LDAPTLS_CACERT: path.join(dataDir, 'paris', 'tls', 'ldaps.crt') });
    assert.notEqual(untrusted.code, 0);
    assert.match(untrusted.out, /Can't contact LDAP server/);
  });

  it('ldapsearch reads the root DSE anonymously, and people with filters, memberOf, pages and a size limit', async () => {
    const dse = await run('ldapsearch', [...url('berlin'), '-LLL', '-s', 'base', '-b', '', 'namingContexts', 'supportedExtension']);
    assert.match(dse.out, /namingContexts: dc=edge,dc=example/);
    assert.match(dse.out, /supportedExtension: 1\.3\.6\.1\.4\.1\.4203\.1\.11\.3/);
    const bob = await run('ldapsearch', [...url('sfo'), ...ALICE, '-LLL', '-b', `ou=people,${BASE}`, '(&(objectClass=person)(cn=bob*))', 'mail', 'memberOf', 'userPassword']);
    assert.equal(bob.code, 0, bob.out);
    assert.match(bob.out, /^dn: uid=bob,ou=people,dc=edge,dc=example$/m);
    assert.match(bob.out, /^memberOf: cn=staff,ou=groups,dc=edge,dc=example$/m);
    assert.doesNotMatch(bob.out, /userPassword/);
    const paged = await run('ldapsearch', [...url('berlin'), ...ALICE, '-LLL', '-E', 'pr=2/noprompt', '-b', BASE, 'dn']);
    const whole = await run('ldapsearch', [...url('berlin'), ...ALICE, '-LLL', '-b', BASE, 'dn']);
    const dns = (r: Run): string[] => r.out.split('\n').filter((l) => l.startsWith('dn:'));
    assert.deepEqual(dns(paged), dns(whole));
    const limited = await run('ldapsearch', [...url('berlin'), ...ALICE, '-LLL', '-z', '2', '-b', BASE, 'dn']);
    assert.equal(limited.code, 4);
    assert.match(limited.out, /Size limit exceeded \(4\)/);
  });

  it('ldapsearch: subtree scope includes the base and counts it against -z; -s children leaves it out (ldapjs alone dropped the connection)', async () => {
    const alice = `uid=alice,ou=people,${BASE}`;
    const own = await run('ldapsearch', [...url('berlin'), ...ALICE, '-LLL', '-s', 'sub', '-b', alice, 'dn']);
    assert.equal(own.code, 0, own.out);
    assert.match(own.out, new RegExp(`^dn: ${alice}$`, 'm'), 'RFC 4511 §4.5.1.2: wholeSubtree includes the base entry');
    const people = await run('ldapsearch', [...url('berlin'), ...ALICE, '-LLL', '-s', 'sub', '-b', `ou=people,${BASE}`, 'dn']);
    assert.match(people.out, new RegExp(`^dn: ou=people,${BASE}$`, 'm'));
    const children = await run('ldapsearch', [...url('berlin'), ...ALICE, '-LLL', '-s', 'children', '-b', `ou=people,${BASE}`, 'dn']);
    assert.equal(children.code, 0, children.out);
    const childDns = children.out.split('\n').filter((l) => l.startsWith('dn:'));
    assert.ok(childDns.includes(`dn: ${alice}`), children.out);
    assert.ok(!childDns.includes(`dn: ou=people,${BASE}`), 'children scope leaves the base out');
    assert.equal(childDns.length, people.out.split('\n').filter((l) => l.startsWith('dn:')).length - 1);
    const two = await run('ldapsearch', [...url('berlin'), ...ALICE, '-LLL', '-z', '2', '-s', 'sub', '-b', `ou=people,${BASE}`, 'dn']);
    assert.equal(two.code, 4, 'the base and one person fill a size limit of 2; more people exceed it');
    assert.equal(two.out.split('\n').filter((l) => l.startsWith('dn:')).length, 2);
  });

  it('ldapadd keeps attribute names and objectClass values as written; searches match them in any case', async () => {
    const dn = `uid=judy,ou=people,${BASE}`;
    const added = await run('ldapadd', [...url('berlin'), ...ADMIN], `dn: ${dn}\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\ncn: Judy\nsn: J\nuid: judy\nuidNumber: 2001\ngidNumber: 2001\nhomeDirectory: /home/judy\n`);
    assert.equal(added.code, 0, added.out);
    const found = await run('ldapsearch', [...url('berlin'), ...ALICE, '-LLL', '-b', `ou=people,${BASE}`, '(UIDNUMBER=2001)', 'uidNumber', 'objectClass', 'homeDirectory']);
    assert.equal(found.code, 0, found.out);
    assert.match(found.out, /^uidNumber: 2001$/m);
    assert.match(found.out, /^homeDirectory: \/home\/judy$/m);
    assert.match(found.out, /^objectClass: posixAccount$/m);
    assert.doesNotMatch(found.out, /^(uidnumber|objectclass|homedirectory):/m);
    await run('ldapdelete', [...url('berlin'), ...ADMIN, dn]);
  });

  it('ldapsearch gets a referral to the parent for a subtree berlin does not hold', async () => {
    const ref = await run('ldapsearch', [...url('berlin'), ...ALICE, '-LLL', '-b', `ou=paris,ou=sites,${BASE}`]);
    assert.equal(ref.code, 10);
    assert.ok(ref.out.includes(`ldap://${cluster.ldap.get('eu')}/ou=paris,ou=sites,${BASE}`), ref.out);
  });

  it('ldapadd, ldapmodify, ldapcompare, ldapmodrdn and ldapdelete at a site change data the core owns', async () => {
    const dn = `uid=grace,ou=people,${BASE}`;
    const added = await run('ldapadd', [...url('berlin'), ...ADMIN], `dn: ${dn}\nobjectClass: inetOrgPerson\ncn: Grace\nsn: Hopper\nuserPassword: grace-1\n`);
    assert.equal(added.code, 0, added.out);
    const again = await run('ldapadd', [...url('berlin'), ...ADMIN], `dn: ${dn}\nobjectClass: inetOrgPerson\ncn: Grace\nsn: Hopper\n`);
    assert.equal(again.code, 68);
    const modified = await run('ldapmodify', [...url('berlin'), ...ADMIN], `dn: ${dn}\nchangetype: modify\nadd: mail\nmail: grace@edge.example\n-\nreplace: sn\nsn: Hopper-Murray\n`);
    assert.equal(modified.code, 0, modified.out);
    assert.match((await run('ldapcompare', [...url('berlin'), ...ALICE, dn, 'mail:grace@edge.example'])).out, /TRUE/);
    await eventually(async () => assert.equal((await run('ldapwhoami', [...url('nyc'), '-D', dn, '-w', 'grace-1'])).code, 0), 5000, 50); // replicated to the other region (bench propagation measures how fast)
    const renamed = await run('ldapmodrdn', [...url('berlin'), ...ADMIN, '-r', dn, 'uid=ghopper']);
    assert.equal(renamed.code, 0, renamed.out);
    const deleted = await run('ldapdelete', [...url('berlin'), ...ADMIN, `uid=ghopper,ou=people,${BASE}`]);
    assert.equal(deleted.code, 0, deleted.out);
    const nonLeaf = await run('ldapdelete', [...url('berlin'), ...ADMIN, `ou=people,${BASE}`]);
    assert.equal(nonLeaf.code, 66);
    const refused = await run('ldapadd', [...url('berlin'), '-D', `uid=bob,ou=people,${BASE}`, '-w', 'bob-demo'], `dn: uid=x,ou=people,${BASE}\nobjectClass: person\ncn: x\nsn: x\n`);
    assert.equal(refused.code, 50);
  });

  it('ldappasswd changes a password through a site (usable there at once) and generates one when asked', async () => {
    const dn = `uid=heidi,ou=people,${BASE}`;
    await run('ldapadd', [...url('core'), ...ADMIN], `dn: ${dn}\nobjectClass: inetOrgPerson\ncn: Heidi\nsn: H\nuserPassword: heidi-1\n`);
    await eventually(async () => assert.equal((await run('ldapwhoami', [...url('paris'), '-D', dn, '-w', 'heidi-1'])).code, 0), 2000, 50);
    const changed = await run('ldappasswd', [...url('paris'), '-D', dn, '-w', 'heidi-1', '-a', 'heidi-1', '-s', 'heidi-2']);
    assert.equal(changed.code, 0, changed.out);
    assert.equal((await run('ldapwhoami', [...url('paris'), '-D', dn, '-w', 'heidi-2'])).code, 0, 'read-your-writes at the node that forwarded the change');
    const wrongOld = await run('ldappasswd', [...url('paris'), '-D', dn, '-w', 'heidi-2', '-a', 'not-it', '-s', 'heidi-3']);
    assert.notEqual(wrongOld.code, 0);
    assert.match(wrongOld.out, /Invalid credentials \(49\)[\s\S]*old password .* does not match/);
    const generated = await run('ldappasswd', [...url('paris'), ...ADMIN, dn]);
    const password = /New password: (\S+)/.exec(generated.out)?.[1];
    assert.ok(password, generated.out);
    assert.equal((await run('ldapwhoami', [...url('paris'), '-D', dn, '-w', password!])).code, 0);
  });

  it('a write that cannot reach its owner fails with Server is unavailable (52) and says why', async () => {
    await cluster.kill('eu');
    await cluster.kill('core');
    const cutOff = await run('ldapadd', [...url('berlin'), ...ADMIN], `dn: uid=ivan,ou=people,${BASE}\nobjectClass: person\ncn: Ivan\nsn: I\n`);
    assert.equal(cutOff.code, 52);
    assert.match(cutOff.out, /Server is unavailable \(52\)/);
    assert.match(cutOff.out, /additional info: cannot write dir:dc=edge,dc=example at berlin: .*unreachable/);
    const local = await run('ldapadd', [...url('berlin'), ...ADMIN], `dn: cn=kiosk,ou=devices,ou=berlin,ou=sites,${BASE}\nobjectClass: device\ncn: kiosk\n`);
    assert.equal(local.code, 0, `berlin's own subtree stays writable: ${local.out}`);
  });
});
