// What every directory operation gets: the tree it reads, the access rules,
// the ports to the rest of the node, the clock and the limits; the
// per-connection session (who is bound, from where); and the write to the
// owner that every writing operation ends with.

import type { Clock } from '../../kernel/clock';
import type { KeyedLock } from '../../kernel/keyed-lock';
import type { Logger } from '../../kernel/log';
import type { Mutation } from '../../store';
import type { Access, Identity } from '../security/access';
import type { Throttle } from '../security/bind-throttle';
import { dnOfKey } from '../data/dn';
import { StrataError } from '../../kernel/errors';
import type { DirectoryPorts } from '../ports';
import { fail, RC } from '../protocol/result-code';
import type { Place } from '../data/subtrees';
import type { DirectoryTree } from '../data/tree';

export interface DirectoryLimits {
  /** Entries per search for everyone but the directory admin (0 = no limit). */
  sizeLimit: number;
  /** Seconds per search (0 = no limit). */
  timeLimitS: number;
}

export interface DirectoryContext {
  tree: DirectoryTree;
  access: Access;
  ports: DirectoryPorts;
  clock: Clock;
  throttle: Throttle;
  /** One password check per entry at a time, so each sees the failures counted before it (pipelined binds cannot outguess the throttle). */
  passwordChecks: KeyedLock;
  limits: DirectoryLimits;
  /** For debug notes (searches no index served). */
  logger?: Logger;
}

export interface Session {
  identity: Identity;
  /** The client's address (for bind throttling and logs); undefined for a check chained from a child node (throttled per entry only). */
  address: string | undefined;
  /** For a chained check: nodes it already passed (loop guard). */
  hops?: number;
  /** From a bind chained to a parent: its proof, carried on writes made as this identity. */
  ticket?: unknown;
}

/** An RFC 4516 LDAP URL for `dn` at `server` (ldap://host:port). */
export function ldapUrl(server: string, dn: string): string {
  return `${server}/${encodeURIComponent(dn).replace(/%3D/gi, '=').replace(/%2C/gi, ',')}`;
}

export const ANONYMOUS_REFUSED = fail(RC.insufficientAccessRights, 'anonymous clients may only bind: bind with a DN and password first');

/** A write at the owner (mutations from credentials.ts entryMutations); the owner's refusals name entries by DN, not by store key. */
export async function writeAt(ctx: DirectoryContext, place: Place, mutations: Mutation[]): Promise<void> {
  try {
    await ctx.ports.write(place.dataset, mutations, place.ownerHint);
  } catch (err) {
    if (!(err instanceof StrataError) || !['ALREADY_EXISTS', 'NOT_FOUND', 'ABORTED'].includes(err.code)) throw err;
    let message = err.message;
    for (const m of mutations) message = message.split(m.key).join(dnOfKey(m.key));
    throw new StrataError(err.code, message.replace(` in ${place.dataset}`, ` at the owner of ${place.subtree}`), { cause: err });
  }
}
