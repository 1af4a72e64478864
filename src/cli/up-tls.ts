// What `strata up` (and the test cluster) prepare so a federation starts with
// mutual TLS (DESIGN §7, "strata up does all of this automatically"): the
// core's CA, made before any node starts; a one-time join token for every
// node that has not enrolled yet; and <data-dir>/ca.crt for the CLI.

import { copyFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../kernel/clock';
import { ensureAuthority, joinTokenFor, loadIdentity } from '../node/identity';
import type { Topology } from './topology';

export const CA_FILE = 'ca.crt';
const TOKEN_TTL_S = 3600;

export function prepareTls(topology: Topology, dataDir: string, clock: Clock): { caPem: string; tokens: Record<string, string> } {
  const core = topology.nodes.find((n) => n.tier === 'core')!;
  const coreDir = path.resolve(dataDir, core.name);
  const { ca } = ensureAuthority(coreDir, clock);
  copyFileSync(path.join(coreDir, 'tls', 'ca.crt'), path.join(dataDir, CA_FILE));
  const tokens: Record<string, string> = {};
  for (const node of topology.nodes) {
    if (node.tier === 'core' || loadIdentity(path.resolve(dataDir, node.name))) continue;
    tokens[node.name] = joinTokenFor(coreDir, node.name, TOKEN_TTL_S, clock);
  }
  return { caPem: ca.certPem, tokens };
}
