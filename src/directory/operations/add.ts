// Add (RFC 4511 §4.7): checks access, the parent, objectClass and the RDN,
// hashes any cleartext userPassword, and writes the entry at the owner with
// "must not exist" checked there (so two sites adding one DN cannot both win).

import { ANONYMOUS_REFUSED, writeAt, type DirectoryContext, type Session } from './context';
import { locateTarget, matchedFor, readTarget } from './target';
import { entryMutations } from '../security/credentials';
import { firstRdn, parentDn, tidyDn } from '../data/dn';
import { hasValue, isPasswordAlias, OPERATIONAL, PASSWORD_ATTR, valuesOf, withValues, type DirEntry } from '../data/entry';
import { storedPassword } from '../security/password';
import { fail, outcomeOf, RC, SUCCESS, type Outcome } from '../protocol/result-code';

export interface AddRequest {
  dn: string;
  attrs: Record<string, string[]>;
}

export async function add(ctx: DirectoryContext, session: Session, request: AddRequest): Promise<Outcome> {
  if (session.identity.kind === 'anonymous') return ANONYMOUS_REFUSED;
  const target = locateTarget(ctx, request.dn);
  if (!target.ok) return target.outcome;
  const { place, norm } = target;
  if (!ctx.access.canWrite(session.identity, norm)) return fail(RC.insufficientAccessRights, `${session.identity.dn} may not add entries at ${request.dn}`);
  const parent = parentDn(norm);
  try {
    const above = await readTarget(ctx, { norm: parent, held: ctx.tree.holds(ctx.tree.place(parent) ?? place) });
    if (!above.entry) return fail(RC.noSuchObject, `cannot add ${request.dn}: its parent ${parent} does not exist`, matchedFor(ctx, target));
  } catch (err) {
    return outcomeOf(err);
  }
  const checked = await checkedEntry(tidyDn(request.dn), request.attrs);
  if ('code' in checked) return checked;
  try {
    await writeAt(ctx, place, entryMutations(norm, checked, undefined));
    return SUCCESS;
  } catch (err) {
    return outcomeOf(err);
  }
}

/** The entry as it will be stored, or why it cannot be. */
export async function checkedEntry(dn: string, attrs: Record<string, string[]>): Promise<DirEntry | Outcome> {
  let entry: DirEntry = { dn, attrs: {} };
  for (const [name, values] of Object.entries(attrs)) {
    const lower = name.toLowerCase();
    if (OPERATIONAL.has(lower) || lower.startsWith('_')) return fail(RC.constraintViolation, `${name}: no user modification allowed`);
    if (isPasswordAlias(lower)) return fail(RC.undefinedAttributeType, `${name}: give passwords as userPassword (they are stored hashed)`);
    if (values.length === 0) continue;
    entry = withValues(entry, name, [...valuesOf(entry, name), ...values]);
  }
  if (valuesOf(entry, 'objectClass').length === 0) return fail(RC.objectClassViolation, `${dn}: no objectClass attribute`);
  for (const { type, value } of firstRdn(dn)) {
    if (!hasValue(valuesOf(entry, type), value)) entry = withValues(entry, type, [...valuesOf(entry, type), value]);
  }
  const passwords = valuesOf(entry, PASSWORD_ATTR);
  if (passwords.length > 0) entry = withValues(entry, PASSWORD_ATTR, await Promise.all(passwords.map(storedPassword)));
  return entry;
}
