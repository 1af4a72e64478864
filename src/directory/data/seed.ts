// The entries a node creates in the subtree it owns (DESIGN §1, §5): the core
// makes the base entry, ou=people, ou=groups, ou=services, ou=sites and the
// directory admin cn=admin; every other node makes ou=<node>,ou=sites,<base>
// and its site admins group. Only missing entries are written; the admin's
// password follows the core's configuration (as slapd's rootpw does).

import type { Store } from '../../store';
import { credentialKey, entryMutations, mergeEntry, POLICY_KEY, type CredentialRule } from '../security/credentials';
import { dnKey, firstRdn, normalizeDn, tidyDn } from './dn';
import { PASSWORD_ATTR, valuesOf, withValues, type DirEntry } from './entry';
import { storedPassword, verifyPassword } from '../security/password';
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

/** Create the owned dataset and any missing seed entry; at the core, keep the admin password and credential policy as configured. */
export async function seedOwnSubtree(store: Store, node: string, isCore: boolean, baseDn: string, core: { adminPassword?: string; credentialPolicy?: readonly CredentialRule[] } = {}): Promise<void> {
  const dataset = dirDataset(ownedSubtree(node, isCore, baseDn));
  const info = store.dataset(dataset);
  if (info && info.role !== 'owner') return;
  if (!info) await store.createDataset(dataset);
  const missing = seedEntries(node, isCore, baseDn).filter((e) => store.get(dataset, dnKey(normalizeDn(e.dn))) === undefined);
  if (missing.length > 0) await store.write(dataset, missing.flatMap((e) => entryMutations(normalizeDn(e.dn), e, undefined)));
  if (!isCore) return;
  const policy = core.credentialPolicy ?? [];
  if (JSON.stringify(store.get(dataset, POLICY_KEY) ?? []) !== JSON.stringify(policy)) await store.write(dataset, [{ op: 'put', key: POLICY_KEY, value: policy }]);
  if (core.adminPassword === undefined) return;
  const norm = normalizeDn(`cn=admin,${baseDn}`);
  const key = dnKey(norm);
  const stored = store.get(dataset, key) as DirEntry | undefined;
  if (!stored) return;
  const current = mergeEntry(stored, store.get(dataset, credentialKey(key)) as string[] | undefined);
  const hashes = valuesOf(current, PASSWORD_ATTR);
  if (hashes.length === 1 && (hashes[0] === core.adminPassword || (await verifyPassword(core.adminPassword, hashes[0]!)))) return;
  const next = withValues(current, PASSWORD_ATTR, [await storedPassword(core.adminPassword)]);
  await store.write(dataset, entryMutations(norm, next, current));
}
