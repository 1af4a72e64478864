// Federation's answer to what the directory asks (directory/ports.ts): the
// base DN, writes routed to owners with read-your-writes, the parent's LDAP
// URL for referrals, and chained password checks up the tree.

import type { Clock } from '../kernel/clock';
import { formatHostPort, type HostPort } from '../kernel/host-port';
import type { Logger } from '../kernel/log';
import type { ChainedBind, DirectoryPorts } from '../directory/ports';
import { ApiClient } from './api-client';
import { errorMessage, UnavailableError } from '../kernel/errors';
import type { DirEntry } from '../directory/entry';
import { clientCredentials } from './grpc-adapter';
import { parentListeners } from './parent-listeners';
import type { WriteRouter } from './write-router';

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
      const failures: string[] = [];
      for (const parent of facts.parentOrder()) {
        const address = facts.configuredAddress(parent);
        if (!address) continue;
        try {
          const client = new ApiClient(formatHostPort(address), facts.clock, facts.chainTimeoutMs, () => clientCredentials(parent));
          const reply = await client.unary<{ found: boolean; entryJson: string; hasChildren: boolean }>('DirectoryService', 'GetEntry', { dn, hops: hops + 1 });
          return { entry: reply.found ? (JSON.parse(reply.entryJson) as DirEntry) : undefined, hasChildren: reply.hasChildren };
        } catch (err) {
          failures.push(`${parent}: ${errorMessage(err)}`);
        }
      }
      throw new UnavailableError(`cannot read ${dn} at ${facts.name}: its subtree is held above and no parent answered (${failures.join('; ') || 'no parent'}); nothing was written, retry when the link is back`);
    },
    chainBind: async (dn, password, hops) => {
      for (const parent of facts.parentOrder()) {
        const address = facts.configuredAddress(parent);
        if (!address) continue;
        try {
          const client = new ApiClient(formatHostPort(address), facts.clock, facts.chainTimeoutMs, () => clientCredentials(parent));
          const reply = await client.unary<{ result: string }>('DirectoryService', 'CheckPassword', { dn, password, hops: hops + 1, origin: facts.name });
          if (reply.result === 'ok' || reply.result === 'invalid' || reply.result === 'locked') return reply.result as ChainedBind;
        } catch (err) {
          facts.logger.debug({ err, parent }, 'chained bind: parent did not answer');
        }
      }
      return 'unavailable';
    },
  };
}
