// What time needs from the rest of the node, declared here and implemented
// by federation (STYLE habit 7): where the parents' NTP servers are.

import type { HostPort } from '../kernel/host-port';

export interface TimePorts {
  /** NTP servers of this node's parents, the current parent first; empty when none is known yet. */
  parentNtp(): Array<{ name: string; address: HostPort }>;
}
