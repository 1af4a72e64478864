// What flows which way on a link (DESIGN §2), one policy per side. Down: a
// child gets what its parent owns, what came to the parent from above, and
// what it already follows. Up: a parent gets what the child owns and what
// came up to it from below. Loops are refused; a node linked to a parent
// directly speaks for itself; password hashes the credential policy keeps
// above a child's tier stay where they are (DESIGN §5). Trust (DESIGN §7):
// a dataset is accepted only from a node that may own it by its name
// (ownership.ts), and from below only for the child itself or a node the
// core placed under it (the certificate registry, pki.ts).

import { credentialFilter, normalizeDn, subtreeOfDataset, type CredentialFacts } from '../../directory';
import type { Store } from '../../store';
import type { LinkSession, PeerView, SessionPolicy } from './link-session';
import type { Origins } from './origins';
import { coreOwned, nodeMayOwn, type FederationNames } from './ownership';
import type { PkiView } from '../enrolment/pki';

export interface PolicyFacts {
  self(): string;
  store(): Store;
  origins(): Origins;
  ancestors(): string[];
  /** This node and every node known below it. */
  /** `name` is this node or below it. */
  inSubtree(name: string): boolean;
  /** The live session of a child linked to us directly, by name. */
  child(name: string): LinkSession | undefined;
  credentials: CredentialFacts;
  /** The federation's domain and base DN, once known. */
  federation(): { domain: string; baseDn: string } | undefined;
  /** The certificate registry; undefined in plaintext mode (no placement to check). */
  pki(): PkiView | undefined;
  /** The zone the certificate registry's placement gives `node` (trailing dot), if known. */
  placedZone(node: string, domain: string): string | undefined;
  /**
   * A refused dataset, for the log and metrics. `spokenForBy`: refused because its owner is linked
   * here directly, on that session (what the peer relays is not needed while it lasts).
   */
  refused(peer: PeerView, dataset: string, owner: string, why: string, spokenForBy?: LinkSession): void;
}

function namesOf(federation: { domain: string; baseDn: string } | undefined): FederationNames | undefined {
  if (!federation?.domain || !federation.baseDn) return undefined;
  try {
    return { domain: federation.domain.toLowerCase(), baseDn: normalizeDn(federation.baseDn) };
  } catch {
    return undefined;
  }
}

/** Parent side: what we send a child and accept from it. (Its name and tier were checked against its certificate at Hello.) */
export function childPolicy(f: PolicyFacts): SessionPolicy {
  return {
    sends: (peer, d) => !peer.subtree.has(d.owner) && (d.role === 'owner' || f.origins().of(d.name) === 'down' || peer.cursors.has(d.name)),
    accept: (peer, dataset, owner) => {
      const refuse = (why: string, spokenForBy?: LinkSession): false => {
        f.refused(peer, dataset, owner, why, spokenForBy);
        return false;
      };
      const known = namesOf(f.federation());
      if (!known) return refuse('the federation is not known here yet');
      const names = { ...known, zoneOf: (node: string) => f.placedZone(node, known.domain) };
      if (coreOwned(dataset, names)) return refuse('only the core owns it, and the core is not below this node');
      if (!nodeMayOwn(dataset, owner, names)) return refuse(`node ${owner} cannot own a dataset of that name`);
      if (owner === f.self() || f.ancestors().includes(owner)) return refuse('its owner is this node or above it');
      const direct = owner === peer.name ? undefined : f.child(owner);
      if (direct !== undefined) return refuse(`${owner} is linked here directly and speaks for itself`, direct);
      const pki = f.pki();
      if (owner !== peer.name && pki && !pki.isUnder(owner, peer.name)) return refuse(`${owner} is not placed under ${peer.name} (certificate registry)`);
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
    sends: (_peer, d) => d.role === 'owner' || f.origins().of(d.name) === 'up',
    accept: (peer, dataset, owner) => {
      // The parent is trusted with everything above this node (it relays the core's data); what it
      // may not do is pass off a name no node may own, or data of this node's own subtree.
      const names = namesOf({ domain: peer.federationDomain, baseDn: peer.baseDn }) ?? namesOf(f.federation());
      let why: string | undefined;
      if (f.inSubtree(owner)) why = 'its owner is this node or below it';
      else if (!names) why = 'the parent has not said what the federation is';
      else if (!coreOwned(dataset, names) && !nodeMayOwn(dataset, owner, names)) why = `node ${owner} cannot own a dataset of that name`;
      if (why !== undefined) f.refused(peer, dataset, owner, why);
      return why === undefined;
    },
    created: (_peer, dataset) => f.origins().set(dataset, 'down'),
  };
}
