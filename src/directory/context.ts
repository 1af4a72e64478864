// What every directory operation gets: the tree it reads, the access rules,
// the ports to the rest of the node, the clock and the limits; and the
// per-connection session (who is bound, from where). Shared types only.

import type { Clock } from '../kernel/clock';
import type { Mutation } from '../store';
import type { Access, Identity } from './access';
import type { BindThrottle } from './bind-throttle';
import { dnOfKey, normalizeDn } from './dn';
import { StrataError } from '../kernel/errors';
import type { DirectoryPorts } from './ports';
import { fail, RC, type Outcome } from './result-code';
import type { Place } from './subtrees';
import type { DirectoryTree } from './tree';

export interface DirectoryLimits {
  /** Entries per search for everyone but the directory admin (0 = no limit). */
  sizeLimit: number;
  /** Seconds per search (0 = no limit). */
  timeLimitS: number;
}

export interface DirectoryContext {
  tree: DirectoryTree;
  access: Access;
  ports: DirectoryPorts;
  clock: Clock;
  throttle: BindThrottle;
  limits: DirectoryLimits;
}

export interface Session {
  identity: Identity;
  /** The client's address (for bind throttling and logs); undefined for a check chained from a child node (throttled per entry only). */
  address: string | undefined;
  /** For a chained check: nodes it already passed (loop guard). */
  hops?: number;
}

export type Located = { ok: true; place: Place; norm: string } | { ok: false; outcome: Outcome };

/**
 * Where `dn` lives, or the outcome to send instead: unknown base, a DN
 * outside it, or a subtree not held here (a referral to the parent, whose
 * view of the tree is wider).
 */
export function locate(ctx: DirectoryContext, dn: string): Located {
  let norm: string;
  try {
    norm = normalizeDn(dn);
  } catch (err) {
    return { ok: false, outcome: fail(RC.invalidDnSyntax, (err as Error).message) };
  }
  const base = ctx.tree.baseDn();
  if (base === undefined) return { ok: false, outcome: fail(RC.unavailable, `node ${ctx.ports.nodeName} has not learned the directory base DN from its parent yet; retry when it has linked`) };
  const place = ctx.tree.place(norm);
  if (!place) return { ok: false, outcome: fail(RC.noSuchObject, `${dn} is outside this directory (base ${base})`) };
  if (!ctx.tree.holds(place)) {
    const parent = ctx.ports.parentLdapUrl();
    if (!parent) return { ok: false, outcome: fail(RC.noSuchObject, `subtree ${place.subtree} is not held at ${ctx.ports.nodeName} (its owner has not linked yet)`) };
    return { ok: false, outcome: { code: RC.referral, message: `subtree ${place.subtree} is not held at ${ctx.ports.nodeName}; ask its parent`, referrals: [ldapUrl(parent, dn)] } };
  }
  return { ok: true, place, norm };
}

/** An RFC 4516 LDAP URL for `dn` at `server` (ldap://host:port). */
export function ldapUrl(server: string, dn: string): string {
  return `${server}/${encodeURIComponent(dn).replace(/%3D/gi, '=').replace(/%2C/gi, ',')}`;
}

export const ANONYMOUS_REFUSED = fail(RC.insufficientAccessRights, 'anonymous clients may only bind: bind with a DN and password first');

/** A write at the owner (mutations from credentials.ts entryMutations); the owner's refusals name entries by DN, not by store key. */
export async function writeAt(ctx: DirectoryContext, place: Place, mutations: Mutation[]): Promise<void> {
  try {
    await ctx.ports.write(place.dataset, mutations, place.ownerHint);
  } catch (err) {
    if (!(err instanceof StrataError) || !['ALREADY_EXISTS', 'NOT_FOUND', 'ABORTED'].includes(err.code)) throw err;
    let message = err.message;
    for (const m of mutations) message = message.split(m.key).join(dnOfKey(m.key));
    throw new StrataError(err.code, message.replace(` in ${place.dataset}`, ` at the owner of ${place.subtree}`), { cause: err });
  }
}
