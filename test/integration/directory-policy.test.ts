// The credential replication policy with real node processes (DESIGN §5):
// password hashes replicate no lower than the policy's tier, binds for them
// are chained up the tree, and fail with unavailable (52) when it is gone.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDemoData } from '../../src/cli/up/demo-data';
import { SystemClock } from '../../src/kernel/clock';
import { Cluster } from '../support/cluster';
import { eventually } from '../support/eventually';
import { ADMIN, ALICE, BASE, ldapCode, LdapClient, LdapClients, SENSOR } from '../support/ldap-client';

const CAROL = `uid=carol,ou=people,${BASE}`;

describe('directory credential policy (real processes)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let cluster: Cluster;
  const clients = new LdapClients((node) => cluster.ldap.get(node)!);
  const as = clients.as.bind(clients);

  async function hashesAt(node: string, dn: string): Promise<string[]> {
    const [entry] = await (await as(node, ADMIN, 'admin-demo')).search(dn, { scope: 'base', attributes: ['userPassword'] });
    return entry?.attrs['userPassword'] ?? [];
  }

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-policy-'));
    cluster = await Cluster.start(dataDir, {
      perNode: {
        core: {
          directory: {
            credentialPolicy: [
              { group: `cn=staff,ou=groups,${BASE}`, lowestTier: 'core' },
              { subtree: `ou=people,${BASE}`, lowestTier: 'regional' },
            ],
          },
        },
      },
    });
    await loadDemoData(cluster.endpoints(), cluster.basePort + 90, new SystemClock(), cluster.tls);
    await (await as('core', ADMIN, 'admin-demo')).add(CAROL, { objectClass: 'inetOrgPerson', cn: 'Carol', sn: 'C', userPassword: 'carol-1' });
    await eventually(async () => assert.equal((await hashesAt('eu', CAROL)).length, 1), 10_000, 100);
  });

  afterEach(() => clients.closeAll());

  after(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds hashes at the tiers the policy names, and the admin (directory-wide) everywhere', async () => {
    assert.equal((await hashesAt('core', ALICE)).length, 1);
    assert.deepEqual(await hashesAt('eu', ALICE), [], 'staff hashes stay at the core');
    assert.equal((await hashesAt('eu', CAROL)).length, 1, 'people hashes reach the regionals');
    assert.deepEqual(await hashesAt('berlin', CAROL), [], '…but not the sites');
    assert.equal((await hashesAt('berlin', SENSOR)).length, 1, 'no rule: held everywhere it replicates');
  });

  it('chains binds for hashes held above, and a password change through a site works there at once', async () => {
    assert.equal(await (await as('berlin', ALICE, 'alice-demo')).whoAmI(), `dn:${ALICE}`);
    assert.equal(await ldapCode(LdapClient.bound(cluster.ldap.get('berlin')!, ALICE, 'wrong')), 49);
    const carol = await as('berlin', CAROL, 'carol-1');
    await carol.modify(CAROL, 'replace', 'userPassword', ['carol-2']);
    assert.equal(await (await as('berlin', CAROL, 'carol-2')).whoAmI(), `dn:${CAROL}`);
    assert.equal(await ldapCode(LdapClient.bound(cluster.ldap.get('berlin')!, CAROL, 'carol-1')), 49);
    await (await as('berlin', ADMIN, 'admin-demo')).modify(CAROL, 'replace', 'cn', ['Carol Example']);
    assert.equal(await (await as('paris', CAROL, 'carol-2')).whoAmI(), `dn:${CAROL}`, 'changing another attribute at a site kept the hash held above');
  });

  it('answers unavailable (52), not invalid, for a hash held above when the site is cut off; its own accounts still bind', async () => {
    await cluster.kill('eu');
    await cluster.kill('core');
    assert.equal(await ldapCode(LdapClient.bound(cluster.ldap.get('berlin')!, ALICE, 'alice-demo')), 52);
    assert.equal(await (await as('berlin', SENSOR, 'sensor-demo')).whoAmI(), `dn:${SENSOR}`);
  });
});
