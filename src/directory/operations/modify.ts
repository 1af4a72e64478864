// Modify (RFC 4511 §4.6): add, delete, replace and increment applied to the
// entry as read here, then written at the owner on the condition that it
// still holds what was read (optimistic concurrency; retried a few times).
// Any entry may change its own userPassword (as OpenLDAP's default ACL).

import { AbortedError } from '../../kernel/errors';
import { ANONYMOUS_REFUSED, writeAt, type DirectoryContext, type Session } from './context';
import { locateTarget, matchedFor, readTarget } from './target';
import { entryMutations, PASSWORD_FLAG } from '../security/credentials';
import { firstRdn } from '../data/dn';
import { hasValue, isPasswordAlias, OPERATIONAL, PASSWORD_ATTR, sameValue, valuesOf, withValues, type DirEntry } from '../data/entry';
import { storedPassword } from '../security/password';
import { fail, outcomeOf, RC, SUCCESS, type Outcome } from '../protocol/result-code';

export type ChangeKind = 'add' | 'delete' | 'replace' | 'increment';

export interface AttributeChange {
  kind: ChangeKind;
  attr: string;
  values: string[];
}

const RETRIES = 3;

export async function modify(ctx: DirectoryContext, session: Session, dn: string, changes: AttributeChange[]): Promise<Outcome> {
  if (session.identity.kind === 'anonymous') return ANONYMOUS_REFUSED;
  const target = locateTarget(ctx, dn);
  if (!target.ok) return target.outcome;
  const { place, norm } = target;
  const onlyPassword = changes.length > 0 && changes.every((c) => c.attr.toLowerCase() === PASSWORD_ATTR);
  const allowed = onlyPassword ? ctx.access.canSetPassword(session.identity, norm) : ctx.access.canWrite(session.identity, norm);
  for (let attempt = 1; ; attempt++) {
    try {
      const { entry } = await readTarget(ctx, target);
      if (!entry || !ctx.access.canRead(session.identity, norm)) return fail(RC.noSuchObject, `no entry ${dn}`, matchedFor(ctx, target));
      if (!allowed) return fail(RC.insufficientAccessRights, `${session.identity.dn} may not modify ${dn}`);
      const next = await applyChanges(entry, changes);
      if ('code' in next) return next;
      await writeAt(ctx, place, entryMutations(norm, next, entry));
      return SUCCESS;
    } catch (err) {
      if (!(err instanceof AbortedError) || attempt >= RETRIES) return outcomeOf(err);
    }
  }
}

export async function applyChanges(entry: DirEntry, changes: AttributeChange[]): Promise<DirEntry | Outcome> {
  let next: DirEntry = { dn: entry.dn, attrs: { ...entry.attrs } };
  for (const change of changes) {
    const lower = change.attr.toLowerCase();
    if (OPERATIONAL.has(lower) || lower.startsWith('_')) return fail(RC.constraintViolation, `${change.attr}: no user modification allowed`);
    if (isPasswordAlias(lower)) return fail(RC.undefinedAttributeType, `${change.attr}: give passwords as userPassword (they are stored hashed)`);
    const values = lower === PASSWORD_ATTR && change.kind !== 'delete' ? await Promise.all(change.values.map(storedPassword)) : change.values;
    const current = valuesOf(next, change.attr);
    const result = applyOne(current, { ...change, values });
    if (typeof result === 'object' && !Array.isArray(result)) return result;
    next = withValues(next, change.attr, result);
  }
  // A password set or removed here decides the flag; untouched, it stays as the owner has it.
  if (changes.some((c) => c.attr.toLowerCase() === PASSWORD_ATTR)) next = withValues(next, PASSWORD_FLAG, valuesOf(next, PASSWORD_ATTR).length > 0 ? ['TRUE'] : []);
  if (valuesOf(next, 'objectClass').length === 0) return fail(RC.objectClassViolation, `${entry.dn}: objectClass may not be removed`);
  for (const { type, value } of firstRdn(entry.dn)) {
    if (!hasValue(valuesOf(next, type), value)) return fail(RC.notAllowedOnRdn, `${type}=${value} names the entry; rename it (modrdn) instead`);
  }
  return next;
}

function applyOne(current: string[], change: AttributeChange): string[] | Outcome {
  switch (change.kind) {
    case 'add': {
      for (const v of change.values) if (hasValue(current, v)) return fail(RC.attributeOrValueExists, `${change.attr} already has the value ${v}`);
      return [...current, ...change.values];
    }
    case 'delete': {
      if (current.length === 0) return fail(RC.noSuchAttribute, `no ${change.attr} to delete`);
      if (change.values.length === 0) return [];
      for (const v of change.values) if (!hasValue(current, v)) return fail(RC.noSuchAttribute, `${change.attr} has no value ${v}`);
      return current.filter((c) => !change.values.some((v) => sameValue(c, v)));
    }
    case 'replace':
      return [...change.values];
    case 'increment': {
      const by = Number(change.values[0]);
      if (current.length === 0) return fail(RC.noSuchAttribute, `no ${change.attr} to increment`);
      if (!current.every((v) => /^-?\d+$/.test(v)) || !Number.isInteger(by)) return fail(RC.constraintViolation, `${change.attr} is not an integer`);
      return current.map((v) => String(Number(v) + by));
    }
  }
}
