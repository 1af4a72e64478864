// Delete (RFC 4511 §4.8): leaf entries only; the owner deletes only the
// entry this node read (so a concurrent change elsewhere is not lost).

import { ANONYMOUS_REFUSED, locate, writeAt, type DirectoryContext, type Session } from './context';
import { entryMutations } from './credentials';
import { fail, outcomeOf, RC, SUCCESS, type Outcome } from './result-code';

export async function del(ctx: DirectoryContext, session: Session, dn: string): Promise<Outcome> {
  if (session.identity.kind === 'anonymous') return ANONYMOUS_REFUSED;
  const located = locate(ctx, dn);
  if (!located.ok) return located.outcome;
  const { place, norm } = located;
  const entry = ctx.tree.get(norm);
  if (!entry) return fail(RC.noSuchObject, `no entry ${dn}`, ctx.tree.matchedDn(norm));
  if (norm === place.subtree) return fail(RC.unwillingToPerform, `${dn} is the root of a node's subtree; it is kept by its owner node`);
  if (!ctx.access.canWrite(session.identity, norm)) return fail(RC.insufficientAccessRights, `${session.identity.dn} may not delete ${dn}`);
  if (ctx.tree.hasChildren(norm)) return fail(RC.notAllowedOnNonLeaf, `${dn} has children; delete them first`);
  try {
    await writeAt(ctx, place, entryMutations(norm, undefined, entry));
    return SUCCESS;
  } catch (err) {
    return outcomeOf(err);
  }
}
