// Federation's answers to what naming asks (naming/ports.ts): the federation
// domain, this node's zone, the DNS listeners of its parents in the order to
// try them, and how far below this node another node sits. Pure: the facts
// come in through TreeFacts.

import { parseHostPort, type HostPort } from '../../kernel/host-port';
import { canonical } from '../../naming';
import type { NamingPorts } from '../../naming/ports';

export interface TreeFacts {
  name: string;
  isCore: boolean;
  federationDomain(): string | undefined;
  ownZone(): string | undefined;
  /** Parent names, the current one first. */
  parentOrder(): string[];
  /** Parent name → its DNS listener, as last heard. */
  knownParentDns(): Record<string, string>;
  /** Node → its parent, as reported up the tree to this node. */
  reportedParents(): Map<string, string>;
  /** Owners of data that came up from below (known descendants, even unreported). */
  descendants(): ReadonlySet<string>;
}

const MAX_DEPTH = 32;
/** A descendant we hold data of but whose place below us is not reported: far, but in scope. */
const UNREPORTED_DEPTH = 16;

export function namingPorts(facts: TreeFacts): NamingPorts {
  return {
    nodeName: facts.name,
    isCore: facts.isCore,
    federationDomain: () => {
      const domain = facts.federationDomain();
      return domain === undefined ? undefined : canonical(domain);
    },
    ownZone: () => facts.ownZone(),
    parentDns: () => parentDns(facts),
    depthBelow: (node) => depthBelow(facts, node),
  };
}

function parentDns(facts: TreeFacts): HostPort[] {
  const known = facts.knownParentDns();
  return facts
    .parentOrder()
    .map((name) => known[name])
    .filter((a): a is string => a !== undefined)
    .map((a) => parseHostPort(a))
    .filter((a): a is HostPort => typeof a !== 'string');
}

/** Hops from this node down to `node` along the reported parent chain (0 for itself). */
function depthBelow(facts: TreeFacts, node: string): number | undefined {
  if (node === facts.name) return 0;
  const parents = facts.reportedParents();
  let at = node;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (at === facts.name) return depth;
    const up = parents.get(at);
    if (up === undefined) break;
    at = up;
  }
  return facts.descendants().has(node) ? UNREPORTED_DEPTH : undefined;
}
