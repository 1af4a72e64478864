// Modify DN (RFC 4511 §4.9): renames a leaf, or moves it under a new
// superior within the same node's subtree (a move between nodes' subtrees
// would span two datasets and owners: affectsMultipleDSAs). The old key is
// deleted and the new one put in one batch at the owner.

import type { Mutation } from '../../store';
import { ANONYMOUS_REFUSED, writeAt, type DirectoryContext, type Session } from './context';
import { locateTarget, matchedFor, readTarget } from './target';
import { entryMutations, passwordHeldAbove } from '../security/credentials';
import { firstRdn, formatDn, parentDn, parseDn } from '../data/dn';
import { hasValue, sameValue, valuesOf, withValues, type DirEntry } from '../data/entry';
import { fail, outcomeOf, RC, SUCCESS, type Outcome } from '../protocol/result-code';

export interface ModifyDnRequest {
  dn: string;
  newRdn: string;
  deleteOldRdn: boolean;
  newSuperior?: string;
}

export async function modifyDn(ctx: DirectoryContext, session: Session, request: ModifyDnRequest): Promise<Outcome> {
  if (session.identity.kind === 'anonymous') return ANONYMOUS_REFUSED;
  const from = locateTarget(ctx, request.dn);
  if (!from.ok) return from.outcome;
  if (from.norm === from.place.subtree) return fail(RC.unwillingToPerform, `${request.dn} is the root of a node's subtree; it cannot be renamed`);
  try {
    const { entry, hasChildren } = await readTarget(ctx, from);
    if (!entry || !ctx.access.canRead(session.identity, from.norm)) return fail(RC.noSuchObject, `no entry ${request.dn}`, matchedFor(ctx, from));
    const superiorDisplay = request.newSuperior ?? parseDn(entry.dn).slice(1);
    const newDn = typeof superiorDisplay === 'string' ? `${request.newRdn},${superiorDisplay}` : [request.newRdn, formatDn(superiorDisplay)].filter(Boolean).join(',');
    const to = locateTarget(ctx, newDn);
    if (!to.ok) return to.outcome;
    if (to.place.dataset !== from.place.dataset) return fail(RC.affectsMultipleDsas, `${newDn} is in another node's subtree (${to.place.subtree}); add it there and delete the old entry`);
    if (!ctx.access.canWrite(session.identity, from.norm) || !ctx.access.canWrite(session.identity, to.norm)) return fail(RC.insufficientAccessRights, `${session.identity.dn} may not rename ${request.dn}`);
    if (hasChildren) return fail(RC.notAllowedOnNonLeaf, `${request.dn} has children; only leaf entries can be renamed`);
    if (!(await readTarget(ctx, { norm: parentDn(to.norm), held: to.held })).entry) return fail(RC.noSuchObject, `new superior ${parentDn(to.norm)} does not exist`, matchedFor(ctx, to));
    if (to.norm !== from.norm && (await readTarget(ctx, to)).entry) return fail(RC.entryAlreadyExists, `${newDn} already exists`);
    if (passwordHeldAbove(entry)) return fail(RC.unwillingToPerform, `the password of ${request.dn} is held by a node above ${ctx.ports.nodeName}; rename the entry there`);
    await writeAt(ctx, from.place, renameMutations(entry, newDn, request.deleteOldRdn, from.norm, to.norm));
    return SUCCESS;
  } catch (err) {
    return outcomeOf(err);
  }
}

function renameMutations(entry: DirEntry, newDn: string, deleteOldRdn: boolean, fromNorm: string, toNorm: string): Mutation[] {
  let next: DirEntry = { dn: newDn, attrs: { ...entry.attrs } };
  if (deleteOldRdn) {
    for (const { type, value } of firstRdn(entry.dn)) next = withValues(next, type, valuesOf(next, type).filter((v) => !sameValue(v, value)));
  }
  for (const { type, value } of firstRdn(newDn)) {
    if (!hasValue(valuesOf(next, type), value)) next = withValues(next, type, [...valuesOf(next, type), value]);
  }
  return toNorm === fromNorm ? entryMutations(toNorm, next, entry) : [...entryMutations(fromNorm, undefined, entry), ...entryMutations(toNorm, next, undefined)];
}
