// A node's YAML config as `strata node --config` reads it (node/config.ts
// parseConfigText: YAML, the zod schema, the tier rules). Typed:
// ConfigError naming the file and field.

import { defaultTopology, nodeConfigFor, toYaml } from '../../../src/cli/up/topology';
import { parseConfigText } from '../../../src/node/config';
import type { Outcome, Target } from '../target';
import { YAML_TOKENS } from './yaml-tokens';

export function nodeConfigSeeds(): Buffer[] {
  const topology = defaultTopology();
  const generated = topology.nodes.slice(0, 3).map((node) => Buffer.from(toYaml(nodeConfigFor(topology, node, 15300, '/tmp/strata-fuzz'))));
  const full = [
    'name: core',
    'tier: core',
    'dataDir: ./data',
    'federation: { domain: edge.example., baseDn: "dc=edge,dc=example" }',
    'listen:',
    '  grpc: 127.0.0.1:15300',
    '  dns: "[::1]:15301"',
    'link: { heartbeatMs: 500, missedHeartbeats: 4 }',
    'dns:',
    '  recursionFrom: [127.0.0.0/8, "fd00::/8"]',
    '  upstreams: [127.0.0.1:53]',
    '  cache: { maxEntries: 1000, maxTtlS: 3600, maxStaleS: 60 }',
    '  workers: 0',
    'time: { upstreams: [], localStratum: 10 }',
    'directory:',
    '  adminPassword: change-me',
    '  credentialPolicy:',
    '    - { subtree: "ou=people,dc=edge,dc=example", lowestTier: regional }',
    '    - { group: "cn=staff,ou=groups,dc=edge,dc=example", lowestTier: site }',
    'security: { mode: plaintext }',
    'log: { level: warn }',
    'store: { compaction: { keepChanges: 1000 } }',
  ].join('\n');
  const site = 'name: berlin\ntier: site\nparents:\n  - &eu { name: eu, address: "127.0.0.1:15310" }\n  - { name: core, address: "127.0.0.1:15300" }\ndataDir: /tmp/x\nsecurity: { joinToken: abc.def }\n';
  return [...generated, Buffer.from(full), Buffer.from(site)];
}

export function nodeConfigTarget(): Target {
  return {
    name: 'node-config',
    entry: 'config parseConfigText',
    seeds: nodeConfigSeeds,
    dictionary: YAML_TOKENS,
    maxBytes: 16 * 1024,
    run(input: Buffer): Outcome {
      parseConfigText(input.toString('utf8'), '/tmp/strata-fuzz/node.yaml');
      return 'accepted';
    },
  };
}
