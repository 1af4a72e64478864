// Modify DN (RFC 4511 §4.9): renames a leaf, or moves it under a new
// superior within the same node's subtree (a move between nodes' subtrees
// would span two datasets and owners: affectsMultipleDSAs). The old key is
// deleted and the new one put in one batch at the owner.

import { ANONYMOUS_REFUSED, locate, writeAt, type DirectoryContext, type Session } from './context';
import { entryMutations, passwordHeldAbove } from './credentials';
import { firstRdn, formatDn, parentDn, parseDn } from './dn';
import { hasValue, sameValue, valuesOf, withValues } from './entry';
import { fail, outcomeOf, RC, SUCCESS, type Outcome } from './result-code';

export interface ModifyDnRequest {
  dn: string;
  newRdn: string;
  deleteOldRdn: boolean;
  newSuperior?: string;
}

export async function modifyDn(ctx: DirectoryContext, session: Session, request: ModifyDnRequest): Promise<Outcome> {
  if (session.identity.kind === 'anonymous') return ANONYMOUS_REFUSED;
  const from = locate(ctx, request.dn);
  if (!from.ok) return from.outcome;
  const entry = ctx.tree.get(from.norm);
  if (!entry || !ctx.access.canRead(session.identity, from.norm)) return fail(RC.noSuchObject, `no entry ${request.dn}`, ctx.tree.matchedDn(from.norm));
  if (from.norm === from.place.subtree) return fail(RC.unwillingToPerform, `${request.dn} is the root of a node's subtree; it cannot be renamed`);
  const superiorDisplay = request.newSuperior ?? parseDn(entry.dn).slice(1);
  const newDn = typeof superiorDisplay === 'string' ? `${request.newRdn},${superiorDisplay}` : [request.newRdn, formatDn(superiorDisplay)].filter(Boolean).join(',');
  const to = locate(ctx, newDn);
  if (!to.ok) return to.outcome;
  if (to.place.dataset !== from.place.dataset) return fail(RC.affectsMultipleDsas, `${newDn} is in another node's subtree (${to.place.subtree}); add it there and delete the old entry`);
  if (!ctx.access.canWrite(session.identity, from.norm) || !ctx.access.canWrite(session.identity, to.norm)) return fail(RC.insufficientAccessRights, `${session.identity.dn} may not rename ${request.dn}`);
  if (ctx.tree.hasChildren(from.norm)) return fail(RC.notAllowedOnNonLeaf, `${request.dn} has children; only leaf entries can be renamed`);
  if (!ctx.tree.get(parentDn(to.norm))) return fail(RC.noSuchObject, `new superior ${parentDn(to.norm)} does not exist`, ctx.tree.matchedDn(to.norm));
  if (to.norm !== from.norm && ctx.tree.get(to.norm)) return fail(RC.entryAlreadyExists, `${newDn} already exists`);
  if (passwordHeldAbove(entry)) return fail(RC.unwillingToPerform, `the password of ${request.dn} is held by a node above ${ctx.ports.nodeName}; rename the entry there`);
  let next = { dn: newDn, attrs: { ...entry.attrs } };
  if (request.deleteOldRdn) {
    for (const { type, value } of firstRdn(entry.dn)) next = withValues(next, type, valuesOf(next, type).filter((v) => !sameValue(v, value)));
  }
  for (const { type, value } of firstRdn(newDn)) {
    if (!hasValue(valuesOf(next, type), value)) next = withValues(next, type, [...valuesOf(next, type), value]);
  }
  const mutations = to.norm === from.norm ? entryMutations(to.norm, next, entry) : [...entryMutations(from.norm, undefined, entry), ...entryMutations(to.norm, next, undefined)];
  try {
    await writeAt(ctx, from.place, mutations);
    return SUCCESS;
  } catch (err) {
    return outcomeOf(err);
  }
}
