// Who may do what (DESIGN §5), in one place: anonymous clients may only bind
// (and read the root DSE); an authenticated entry reads people, groups and
// the tree's containers, and its own entry, never secrets; a site admin
// (member of cn=admins,ou=<site>,ou=sites,<base>) reads and writes its
// site's subtree; the directory admin (cn=admin,<base>) does everything.

import { isUnder, normalizeDn, parentDn } from '../data/dn';
import { valuesOf } from '../data/entry';
import { sitesDn } from '../data/subtrees';
import type { DirectoryTree } from '../data/tree';

export type Identity = { kind: 'anonymous' } | { kind: 'entry' | 'admin'; dn: string; norm: string };

export const ANONYMOUS: Identity = { kind: 'anonymous' };

export function adminDn(base: string): string {
  return normalizeDn(`cn=admin,${base}`);
}

export class Access {
  constructor(private readonly tree: DirectoryTree) {}

  identify(dn: string): Identity {
    const norm = normalizeDn(dn);
    const base = this.tree.baseDn();
    return { kind: base !== undefined && norm === adminDn(base) ? 'admin' : 'entry', dn, norm };
  }

  /** The site subtree `norm` is in (normalised), if any. */
  siteOf(norm: string): string | undefined {
    const base = this.tree.baseDn();
    if (base === undefined) return undefined;
    const sites = sitesDn(base);
    if (norm === sites || !isUnder(norm, sites)) return undefined;
    let site = norm;
    while (parentDn(site) !== sites) site = parentDn(site);
    return site;
  }

  isSiteAdmin(who: Identity, site: string): boolean {
    if (who.kind !== 'entry') return false;
    const group = this.tree.get(`cn=admins,${site}`);
    return group !== undefined && valuesOf(group, 'member').some((m) => sameDn(m, who.norm));
  }

  canRead(who: Identity, norm: string): boolean {
    if (who.kind === 'admin') return true;
    if (who.kind === 'anonymous') return false;
    if (norm === who.norm) return true;
    const site = this.siteOf(norm);
    return site === undefined || norm === site || this.isSiteAdmin(who, site);
  }

  canWrite(who: Identity, norm: string): boolean {
    if (who.kind === 'admin') return true;
    if (who.kind === 'anonymous') return false;
    const site = this.siteOf(norm);
    return site !== undefined && norm !== site && this.isSiteAdmin(who, site);
  }

  /** userPassword: the admin, a site admin for its site, and every entry for itself. */
  canSetPassword(who: Identity, norm: string): boolean {
    return who.kind !== 'anonymous' && (who.norm === norm || this.canWrite(who, norm));
  }

  /** Hashes are shown to the directory admin only (replication does not go through LDAP). */
  canSeeSecrets(who: Identity): boolean {
    return who.kind === 'admin';
  }
}

function sameDn(a: string, normB: string): boolean {
  try {
    return normalizeDn(a) === normB;
  } catch {
    return false;
  }
}

