// Federation's answer to what the directory asks (directory/ports.ts): the
// base DN, writes routed to owners with read-your-writes, the parent's LDAP
// URL for referrals, and chained password checks up the tree.

import type { Clock } from '../../kernel/clock';
import { formatHostPort, type HostPort } from '../../kernel/host-port';
import type { Logger } from '../../kernel/log';
import { type ChainedBind, type DirectoryPorts, type DirEntry } from '../../directory';
import { ApiClient } from '../client/api-client';
import { errorMessage, UnavailableError } from '../../kernel/errors';
import type { ClientTls } from '../grpc/grpc-adapter';
import { parentListeners } from './parent-listeners';
import type { WriteRouter } from '../writes/write-router';
import type { BindTicket } from '../grpc/generated/strata/v1/BindTicket';
import { runWithWriteContext } from '../grpc/write-context';

export interface DirectoryFacts {
  name: string;
  isCore: boolean;
  baseDn(): string | undefined;
  router(): WriteRouter;
  writeTimeoutMs: number;
  /** Parent names, the current one first. */
  parentOrder(): string[];
  /** Parent name → its LDAP listener as it announced it. */
  knownParentLdap(): Record<string, string>;
  /** Parent name → its gRPC address from this node's config. */
  configuredAddress(name: string): HostPort | undefined;
  clock: Clock;
  logger: Logger;
  /** How long one parent gets to check a password. */
  chainTimeoutMs: number;
  /** How to reach a parent (this node's certificate). */
  clientTls(): ClientTls;
}

export function directoryPorts(facts: DirectoryFacts): DirectoryPorts {
  return {
    nodeName: facts.name,
    isCore: facts.isCore,
    baseDn: () => facts.baseDn(),
    write: async (dataset, mutations, ownerHint) => {
      await facts.router().writeVisible(dataset, mutations, facts.writeTimeoutMs, ownerHint);
    },
    parentLdapUrl: () => {
      const [first] = parentListeners({ parentOrder: facts.parentOrder, known: facts.knownParentLdap, configuredAddress: facts.configuredAddress });
      return first && `ldap://${formatHostPort(first.address)}`;
    },
    fetchEntry: async (dn, hops) => {
      const answer = await askParents<{ found: boolean; entryJson: string; hasChildren: boolean }>(facts, 'GetEntry', { dn, hops: hops + 1 }, () => true);
      if (!answer.reply) throw new UnavailableError(`cannot read ${dn} at ${facts.name}: its subtree is held above and no parent answered (${answer.failures.join('; ') || 'no parent'}); nothing was written, retry when the link is back`);
      return { entry: answer.reply.found ? (JSON.parse(answer.reply.entryJson) as DirEntry) : undefined, hasChildren: answer.reply.hasChildren };
    },
    chainBind: async (dn, password, hops) => {
      const answer = await askParents<{ result: string; ticket: unknown }>(facts, 'CheckPassword', { dn, password, hops: hops + 1, origin: facts.name }, (r) => ['ok', 'invalid', 'locked'].includes(r.result));
      if (!answer.reply) facts.logger.debug({ failures: answer.failures }, 'chained bind: no parent answered');
      return { result: (answer.reply?.result as ChainedBind | undefined) ?? 'unavailable', ticket: answer.reply?.ticket ?? undefined };
    },
    asPrincipal: (principal, fn) => (principal ? runWithWriteContext({ principal: { directory: { dn: principal.dn, ...(principal.ticket ? { ticket: principal.ticket as BindTicket } : {}) }, who: 'directory' } }, fn) : fn()),
  };
}

/** One DirectoryService call to the parents in order (current first), each checked by name; the first reply `good` accepts wins. */
async function askParents<Reply>(facts: DirectoryFacts, method: string, request: unknown, good: (reply: Reply) => boolean): Promise<{ reply?: Reply; failures: string[] }> {
  const failures: string[] = [];
  for (const parent of facts.parentOrder()) {
    const address = facts.configuredAddress(parent);
    if (!address) continue;
    try {
      const reply = await new ApiClient(formatHostPort(address), facts.clock, () => facts.clientTls().credentials(parent), facts.chainTimeoutMs).unary<Reply>('DirectoryService', method, request);
      if (good(reply)) return { reply, failures };
      failures.push(`${parent}: could not answer`);
    } catch (err) {
      failures.push(`${parent}: ${errorMessage(err)}`);
    }
  }
  return { failures };
}
