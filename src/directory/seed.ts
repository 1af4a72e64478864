// The entries a node creates in the subtree it owns (DESIGN §1, §5): the core
// makes the base entry, ou=people, ou=groups, ou=services, ou=sites and the
// directory admin cn=admin; every other node makes ou=<node>,ou=sites,<base>
// and its site admins group. Only missing entries are written; the admin's
// password follows the core's configuration (as slapd's rootpw does).

import type { Store } from '../store';
import { dnKey, firstRdn, normalizeDn, tidyDn } from './dn';
import { PASSWORD_ATTR, valuesOf, withValues, type DirEntry } from './entry';
import { storedPassword, verifyPassword } from './password';
import { dirDataset, ownedSubtree } from './subtrees';

function baseEntry(base: string): DirEntry {
  const [rdn] = firstRdn(base);
  const type = rdn?.type.toLowerCase();
  const value = rdn?.value ?? '';
  if (type === 'dc') return { dn: base, attrs: { objectClass: ['top', 'dcObject', 'organization'], dc: [value], o: [value] } };
  if (type === 'o') return { dn: base, attrs: { objectClass: ['top', 'organization'], o: [value] } };
  return { dn: base, attrs: { objectClass: ['top', 'organizationalUnit'], ou: [value] } };
}

const ou = (name: string, parent: string, description: string): DirEntry => ({ dn: `ou=${name},${parent}`, attrs: { objectClass: ['top', 'organizationalUnit'], ou: [name], description: [description] } });

export function seedEntries(node: string, isCore: boolean, baseDn: string): DirEntry[] {
  const base = tidyDn(baseDn);
  if (isCore) {
    return [
      baseEntry(base),
      ou('people', base, 'people of the whole federation (owned by the core)'),
      ou('groups', base, 'groups of the whole federation (owned by the core)'),
      ou('services', base, 'service accounts of the whole federation (owned by the core)'),
      ou('sites', base, 'one subtree per node, owned by that node'),
      { dn: `cn=admin,${base}`, attrs: { objectClass: ['top', 'organizationalRole', 'simpleSecurityObject'], cn: ['admin'], description: ['directory admin: may read and write everything'] } },
    ];
  }
  const site = `ou=${node},ou=sites,${base}`;
  return [
    { dn: site, attrs: { objectClass: ['top', 'organizationalUnit'], ou: [node], description: [`subtree owned by node ${node}`] } },
    { dn: `cn=admins,${site}`, attrs: { objectClass: ['top', 'groupOfNames'], cn: ['admins'], member: [`cn=admin,${base}`], description: [`members may write ou=${node}`] } },
  ];
}

/** Create the owned dataset and any missing seed entry; keep the admin password as configured. */
export async function seedOwnSubtree(store: Store, node: string, isCore: boolean, baseDn: string, adminPassword: string | undefined): Promise<void> {
  const dataset = dirDataset(ownedSubtree(node, isCore, baseDn));
  const info = store.dataset(dataset);
  if (info && info.role !== 'owner') return;
  if (!info) await store.createDataset(dataset);
  const missing = seedEntries(node, isCore, baseDn).filter((e) => store.get(dataset, dnKey(normalizeDn(e.dn))) === undefined);
  if (missing.length > 0) await store.write(dataset, missing.map((e) => ({ op: 'put', key: dnKey(normalizeDn(e.dn)), value: e, expect: { exists: false } })));
  if (isCore && adminPassword !== undefined) {
    const key = dnKey(normalizeDn(`cn=admin,${baseDn}`));
    const admin = store.get(dataset, key) as DirEntry | undefined;
    if (!admin) return;
    const current = valuesOf(admin, PASSWORD_ATTR);
    if (current.length === 1 && (current[0] === adminPassword || (await verifyPassword(adminPassword, current[0]!)))) return;
    const next = withValues(admin, PASSWORD_ATTR, [await storedPassword(adminPassword)]);
    await store.write(dataset, [{ op: 'put', key, value: next, expect: { exists: true, value: admin } }]);
  }
}
