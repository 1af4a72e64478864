// Delete (RFC 4511 §4.8): leaf entries only; the owner deletes only the
// entry this node read (so a concurrent change elsewhere is not lost).

import { ANONYMOUS_REFUSED, writeAt, type DirectoryContext, type Session } from './context';
import { locateTarget, matchedFor, readTarget } from './target';
import { entryMutations } from '../security/credentials';
import { fail, outcomeOf, RC, SUCCESS, type Outcome } from '../protocol/result-code';

export async function del(ctx: DirectoryContext, session: Session, dn: string): Promise<Outcome> {
  if (session.identity.kind === 'anonymous') return ANONYMOUS_REFUSED;
  const target = locateTarget(ctx, dn);
  if (!target.ok) return target.outcome;
  const { place, norm } = target;
  if (norm === place.subtree) return fail(RC.unwillingToPerform, `${dn} is the root of a node's subtree; it is kept by its owner node`);
  if (!ctx.access.canWrite(session.identity, norm)) return fail(RC.insufficientAccessRights, `${session.identity.dn} may not delete ${dn}`);
  try {
    const { entry, hasChildren } = await readTarget(ctx, target);
    if (!entry) return fail(RC.noSuchObject, `no entry ${dn}`, matchedFor(ctx, target));
    if (hasChildren) return fail(RC.notAllowedOnNonLeaf, `${dn} has children; delete them first`);
    await writeAt(ctx, place, entryMutations(norm, undefined, entry));
    return SUCCESS;
  } catch (err) {
    return outcomeOf(err);
  }
}
