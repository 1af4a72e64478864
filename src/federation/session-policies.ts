// What flows which way on a link (DESIGN §2), one policy per side. Down: a
// child gets what its parent owns, what came to the parent from above, and
// what it already follows. Up: a parent gets what the child owns and what
// came up to it from below. Loops are refused; a node linked to a parent
// directly speaks for itself; password hashes the credential policy keeps
// above a child's tier stay where they are (DESIGN §5).

import { credentialFilter, type CredentialFacts } from '../directory/credentials';
import { subtreeOfDataset } from '../directory/subtrees';
import type { Store } from '../store';
import type { LinkSession, PeerView, SessionPolicy } from './link-session';
import type { Origins } from './origins';

export interface PolicyFacts {
  self(): string;
  store(): Store;
  origins(): Origins;
  ancestors(): string[];
  /** This node and every node known below it. */
  subtree(): Set<string>;
  /** The live session of a child linked to us directly, by name. */
  child(name: string): LinkSession | undefined;
  credentials: CredentialFacts;
}

/** Parent side: what we send a child and accept from it. (Its name and tier were checked against its certificate at Hello.) */
export function childPolicy(f: PolicyFacts): SessionPolicy {
  return {
    outbound: (peer) => f.store().datasets().filter((d) => !peer.subtree.has(d.owner) && (d.role === 'owner' || f.origins().of(d.name) === 'down' || peer.cursors.has(d.name))),
    accept: (peer, _dataset, owner) => {
      if (owner === f.self() || f.ancestors().includes(owner)) return false;
      if (owner !== peer.name && f.child(owner) !== undefined) return false;
      const session = f.child(peer.name);
      if (!peer.subtree.has(owner) && session?.peer === peer) session.extendSubtree([owner]);
      return true;
    },
    created: (_peer, dataset) => f.origins().set(dataset, 'up'),
    filter: (peer: PeerView, dataset) => (subtreeOfDataset(dataset) === undefined ? undefined : credentialFilter(f.credentials, peer.tier)),
  };
}

/** Child side: what we send our parent and accept from it. */
export function parentPolicy(f: PolicyFacts): SessionPolicy {
  return {
    outbound: () => f.store().datasets().filter((d) => d.role === 'owner' || f.origins().of(d.name) === 'up'),
    accept: (_peer, _dataset, owner) => !f.subtree().has(owner),
    created: (_peer, dataset) => f.origins().set(dataset, 'down'),
  };
}
