// What naming needs from the rest of the node, declared here and implemented
// by federation (STYLE habit 7): where to ask for names not held here, and
// where other nodes sit in the tree relative to this one.

import type { HostPort } from '../kernel/host-port';

export interface NamingPorts {
  /** This node's name. */
  readonly nodeName: string;
  /** Nothing above to ask: the core. */
  readonly isCore: boolean;
  /** The federation domain (canonical), once known. */
  federationDomain(): string | undefined;
  /** This node's own zone (canonical), once known. */
  ownZone(): string | undefined;
  /** DNS servers of this node's parents, current parent first; empty at the core or when none is known. */
  parentDns(): HostPort[];
  /** Tree hops from this node down to `node` (0 = this node), or undefined if `node` is not below. */
  depthBelow(node: string): number | undefined;
}
