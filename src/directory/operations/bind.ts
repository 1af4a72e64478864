// Bind (RFC 4511 §4.2, simple only): checks the password against the hash
// held here, or asks up the tree when this node does not hold it (another
// node's subtree, or a hash kept above this tier). Throttles failures. A
// failed bind leaves the connection anonymous.

import { isoTime } from '../../kernel/clock';
import { ANONYMOUS, type Identity } from '../security/access';
import type { DirectoryContext, Session } from './context';
import { normalizeDn } from '../data/dn';
import { verifyPassword } from '../security/password';
import type { ChainedAnswer } from '../ports';
import { fail, RC, SUCCESS, type Outcome } from '../protocol/result-code';

export interface BindRequest {
  dn: string;
  password: string;
  /** false for SASL. */
  simple: boolean;
}

export async function bind(ctx: DirectoryContext, session: Session, request: BindRequest): Promise<{ outcome: Outcome; identity: Identity; ticket?: unknown }> {
  const refused = (outcome: Outcome): { outcome: Outcome; identity: Identity } => ({ outcome, identity: ANONYMOUS });
  if (!request.simple) return refused(fail(RC.authMethodNotSupported, 'only simple bind is supported (no SASL); use -x with ldap-utils'));
  if (request.dn === '' && request.password === '') return { outcome: SUCCESS, identity: ANONYMOUS };
  if (request.password === '') return refused(fail(RC.unwillingToPerform, 'unauthenticated bind (DN with no password) disallowed'));
  let norm: string;
  try {
    norm = normalizeDn(request.dn);
  } catch (err) {
    return refused(fail(RC.invalidDnSyntax, (err as Error).message));
  }
  // One check per entry at a time: binds pipelined on a connection (or sent on many) each see the failures counted
  // by the ones before them, so no more passwords are tried than the throttle allows.
  const release = await ctx.passwordChecks.acquire(norm);
  try {
    return await checkedBind(ctx, session, request, norm);
  } finally {
    release();
  }
}

async function checkedBind(ctx: DirectoryContext, session: Session, request: BindRequest, norm: string): Promise<{ outcome: Outcome; identity: Identity; ticket?: unknown }> {
  const refused = (outcome: Outcome): { outcome: Outcome; identity: Identity } => ({ outcome, identity: ANONYMOUS });
  const lockedUntil = ctx.throttle.lockedUntil(norm, session.address);
  if (lockedUntil !== undefined) return refused(locked(request.dn, session.address, `try again after ${isoTime(lockedUntil)}`));
  const answer = await check(ctx, request.dn, request.password, session.hops ?? 0);
  const result = answer.result;
  if (result === 'unavailable') {
    return refused(fail(RC.unavailable, `cannot check the password of ${request.dn} at ${ctx.ports.nodeName}: its hash is not held here and no parent answers; retry when the link is back`));
  }
  if (result === 'locked') return refused(locked(request.dn, undefined, 'the node that holds its password is refusing binds for it for now; try again later'));
  if (result === 'invalid') {
    await ctx.throttle.failed(norm, session.address);
    return refused(fail(RC.invalidCredentials, 'invalid credentials'));
  }
  ctx.throttle.succeeded(norm);
  return { outcome: SUCCESS, identity: ctx.access.identify(answer.dn ?? ctx.tree.get(norm)?.dn ?? request.dn), ticket: answer.ticket };
}

function locked(dn: string, address: string | undefined, what: string): Outcome {
  return fail(RC.invalidCredentials, `too many failed binds for ${dn}${address ? ` or from ${address}` : ''}; ${what}`);
}

/**
 * A password check chained from a child node (DirectoryService.CheckPassword).
 * Throttled per entry only: the child throttles its clients' addresses, and
 * one busy site must not lock out every account checked through it.
 */
export async function checkPassword(ctx: DirectoryContext, dn: string, password: string, hops: number): Promise<ChainedAnswer> {
  const result = await bind(ctx, { identity: ANONYMOUS, address: undefined, hops }, { dn, password, simple: true });
  if (result.outcome.code === RC.success) return result.identity.kind === 'anonymous' ? { result: 'invalid' } : { result: 'ok', ticket: result.ticket };
  if (result.outcome.code === RC.unavailable) return { result: 'unavailable' };
  return { result: /too many failed binds/.test(result.outcome.message ?? '') ? 'locked' : 'invalid' };
}

/** The answer, with the entry's DN as it spells it when the entry is held here. */
async function check(ctx: DirectoryContext, dn: string, password: string, hops: number): Promise<ChainedAnswer & { dn?: string }> {
  const place = ctx.tree.place(dn);
  if (!place) return { result: 'invalid' };
  if (!ctx.tree.holds(place)) return ctx.ports.chainBind(dn, password, hops);
  const entry = ctx.tree.credentialsOf(dn);
  if (!entry) return { result: 'invalid' };
  if (entry.hashes.length === 0) return entry.heldAbove ? ctx.ports.chainBind(dn, password, hops) : { result: 'invalid' };
  for (const hash of entry.hashes) if (await verifyPassword(password, hash)) return { result: 'ok', dn: entry.dn };
  return { result: 'invalid' };
}
