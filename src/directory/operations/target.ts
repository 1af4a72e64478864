// The entry a write is about, wherever it lives (DESIGN §5: writes are
// chained, not referred). Held here: read from the tree. Not held (another
// site's subtree): read from the tree above (ports.fetchEntry, a node that
// holds it answers), so the write can still be built here and checked at
// the owner like any other. Reads (search, compare) still refer instead.

import { ldapUrl, type DirectoryContext } from './context';
import { fail, RC, type Outcome } from '../protocol/result-code';
import { normalizeDn } from '../data/dn';
import type { DirEntry } from '../data/entry';
import type { Place } from '../data/subtrees';

export type Target = { ok: true; place: Place; norm: string; held: boolean } | { ok: false; outcome: Outcome };

export interface TargetState {
  entry: DirEntry | undefined;
  hasChildren: boolean;
}

export function locateTarget(ctx: DirectoryContext, dn: string): Target {
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
  return { ok: true, place, norm, held: ctx.tree.holds(place) };
}

export type Located = { ok: true; place: Place; norm: string } | { ok: false; outcome: Outcome };

/**
 * Where `dn` lives for a read (search, compare), or the outcome to send
 * instead: unknown base, a DN outside it, or a subtree not held here (a
 * referral to the parent, whose view of the tree is wider).
 */
export function locate(ctx: DirectoryContext, dn: string): Located {
  const target = locateTarget(ctx, dn);
  if (!target.ok || target.held) return target;
  const { place } = target;
  const parent = ctx.ports.parentLdapUrl();
  if (!parent) return { ok: false, outcome: fail(RC.noSuchObject, `subtree ${place.subtree} is not held at ${ctx.ports.nodeName} (its owner has not linked yet)`) };
  return { ok: false, outcome: { code: RC.referral, message: `subtree ${place.subtree} is not held at ${ctx.ports.nodeName}; ask its parent`, referrals: [ldapUrl(parent, dn)] } };
}

/** The entry (stored form when fetched from above) and whether it has children; throws UnavailableError when nobody above answers. */
export async function readTarget(ctx: DirectoryContext, target: { norm: string; held: boolean }): Promise<TargetState> {
  if (target.held) return { entry: ctx.tree.get(target.norm), hasChildren: ctx.tree.hasChildren(target.norm) };
  return ctx.ports.fetchEntry(target.norm, 0);
}

/** matchedDN for a missing entry: known only for subtrees held here. */
export function matchedFor(ctx: DirectoryContext, target: { norm: string; held: boolean }): string {
  return target.held ? ctx.tree.matchedDn(target.norm) : '';
}
