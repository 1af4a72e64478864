// Extended operations: Who am I? (RFC 4532) for ldapwhoami and Password
// Modify (RFC 3062) for ldappasswd. A password change goes through the same
// conditional write as modify, so it is visible at this node when the call
// returns (read-your-writes) and never lost to a concurrent change.

import { randomBytes } from 'node:crypto';
import { ANONYMOUS_REFUSED, type DirectoryContext, type Session } from './context';
import { locate } from './target';
import { passwordHeldAbove } from '../security/credentials';
import { PASSWORD_ATTR, valuesOf } from '../data/entry';
import { modify } from './modify';
import { verifyPassword } from '../security/password';
import { fail, RC, SUCCESS, type Outcome } from '../protocol/result-code';

export function whoAmI(session: Session): { outcome: Outcome; authzId: string } {
  return { outcome: SUCCESS, authzId: session.identity.kind === 'anonymous' ? '' : `dn:${session.identity.dn}` };
}

export interface PasswordModifyRequest {
  userIdentity?: string;
  oldPassword?: string;
  newPassword?: string;
}

export async function passwordModify(ctx: DirectoryContext, session: Session, request: PasswordModifyRequest): Promise<{ outcome: Outcome; generated?: string }> {
  if (session.identity.kind === 'anonymous') return { outcome: ANONYMOUS_REFUSED };
  const target = request.userIdentity ? request.userIdentity.replace(/^dn:/i, '') : session.identity.dn;
  const located = locate(ctx, target);
  if (!located.ok) return { outcome: located.outcome };
  if (!ctx.access.canSetPassword(session.identity, located.norm)) return { outcome: fail(RC.insufficientAccessRights, `${session.identity.dn} may not change the password of ${target}`) };
  const entry = ctx.tree.get(located.norm);
  if (!entry) return { outcome: fail(RC.noSuchObject, `no entry ${target}`, ctx.tree.matchedDn(located.norm)) };
  if (request.oldPassword !== undefined) {
    const hashes = valuesOf(entry, PASSWORD_ATTR);
    const result = passwordHeldAbove(entry)
      ? (await ctx.ports.chainBind(entry.dn, request.oldPassword, 0)).result
      : (await Promise.all(hashes.map((h) => verifyPassword(request.oldPassword!, h)))).some(Boolean) ? 'ok' : 'invalid';
    if (result === 'unavailable') return { outcome: fail(RC.unavailable, `cannot check the old password of ${target} at ${ctx.ports.nodeName}: it is held above and no parent answers`) };
    if (result !== 'ok') return { outcome: fail(RC.invalidCredentials, `the old password of ${target} does not match`) };
  }
  const generated = request.newPassword === undefined ? randomBytes(12).toString('base64url') : undefined;
  const outcome = await modify(ctx, session, target, [{ kind: 'replace', attr: 'userPassword', values: [request.newPassword ?? generated!] }]);
  return outcome.code === RC.success ? { outcome, generated } : { outcome };
}
