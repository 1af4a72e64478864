// Compare (RFC 4511 §4.10): compareTrue/compareFalse against the values the
// caller may read (computed attributes such as memberOf included).

import { ANONYMOUS_REFUSED, type DirectoryContext, type Session } from './context';
import { locate } from './target';
import { sameValue } from '../data/entry';
import { attributeView } from './search';
import { fail, RC, type Outcome } from '../protocol/result-code';
import { normalizeDn } from '../data/dn';

export interface CompareRequest {
  dn: string;
  attr: string;
  value: string;
}

export function compare(ctx: DirectoryContext, session: Session, request: CompareRequest): Outcome {
  if (session.identity.kind === 'anonymous') return ANONYMOUS_REFUSED;
  const located = locate(ctx, request.dn);
  if (!located.ok) return located.outcome;
  const entry = ctx.tree.get(located.norm);
  if (!entry || !ctx.access.canRead(session.identity, located.norm)) return fail(RC.noSuchObject, `no entry ${request.dn}`, ctx.tree.matchedDn(located.norm));
  const secrets = ctx.access.canSeeSecrets(session.identity);
  if (request.attr.toLowerCase() === 'userpassword' && !secrets) return fail(RC.insufficientAccessRights, 'userPassword may not be compared; bind to check a password');
  const values = attributeView(ctx, entry, secrets)(request.attr);
  if (values.length === 0) return fail(RC.noSuchAttribute, `${request.dn} has no ${request.attr}`);
  const same = values.some((v) => sameValue(v, request.value) || sameDn(v, request.value));
  return { code: same ? RC.compareTrue : RC.compareFalse };
}

function sameDn(a: string, b: string): boolean {
  try {
    return a.includes('=') && normalizeDn(a) === normalizeDn(b);
  } catch {
    return false;
  }
}
