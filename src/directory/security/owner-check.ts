// At the owner of a subtree: may a principal make these changes? A write
// forwarded from another node arrives as store mutations, not as an LDAP
// operation; the owner holds them to the same rules as LDAP writes made
// here (access.ts): the directory admin writes anything, a site admin its
// site, every entry its own password (its entry record then changes by the
// password flag at most). Anything else, including the policy record, is
// refused. It does not decide whether the forwarding node may speak for the
// principal (federation does, by the credential policy and tickets).

import type { Mutation } from '../../store';
import type { Access } from './access';
import { credentialKey, isEntryKey, PASSWORD_FLAG } from './credentials';
import { dnOfKey, normalizeDn } from '../data/dn';

/** undefined if `principalDn` may make every mutation; else why not. `stored(key)` reads the owner's current record. */
export function checkMutations(access: Access, principalDn: string, mutations: Mutation[], stored: (key: string) => unknown): string | undefined {
  let who;
  try {
    who = access.identify(normalizeDn(principalDn));
  } catch {
    return `${principalDn} is not a valid DN`;
  }
  for (const m of mutations) {
    const entryKey = credentialKey('') !== '' && m.key.endsWith(credentialKey('')) ? m.key.slice(0, -credentialKey('').length) : undefined;
    // The credential policy and other records are the core's configuration, not LDAP's to change.
    if (entryKey === undefined && !isEntryKey(m.key)) return `record ${m.key} is not a directory entry`;
    const norm = dnOfKey(entryKey ?? m.key);
    if (entryKey !== undefined) {
      if (!access.canSetPassword(who, norm)) return `${principalDn} may not set the password of ${norm}`;
      continue;
    }
    if (access.canWrite(who, norm)) continue;
    if (m.op === 'put' && access.canSetPassword(who, norm) && sameButFlag(stored(m.key), m.value)) continue;
    return `${principalDn} may not change ${norm}`;
  }
  return undefined;
}

function sameButFlag(current: unknown, next: unknown): boolean {
  const strip = (entry: unknown): string => {
    const e = entry as { attrs?: Record<string, unknown> } | undefined;
    if (!e?.attrs) return JSON.stringify(e);
    const attrs = Object.fromEntries(Object.entries(e.attrs).filter(([name]) => name !== PASSWORD_FLAG).sort(([a], [b]) => a.localeCompare(b)));
    return JSON.stringify({ ...e, attrs });
  };
  return current !== undefined && strip(current) === strip(next);
}
