// A topology YAML as `strata up <file>` reads it (cli/up/topology.ts
// parseTopology). Typed: ConfigError.

import { DEFAULT_TOPOLOGY_YAML, parseTopology } from '../../../src/cli/up/topology';
import type { Outcome, Target } from '../target';
import { YAML_TOKENS } from './yaml-tokens';

export function topologyTarget(): Target {
  return {
    name: 'topology',
    entry: 'topology parseTopology',
    seeds: () => [
      Buffer.from(DEFAULT_TOPOLOGY_YAML),
      Buffer.from('federation:\n  domain: edge.example.\n  baseDn: dc=edge,dc=example\ndirectory:\n  adminPassword: change-me\nnodes:\n  - { name: core, tier: core, portOffset: 0 }\n  - { name: eu, tier: regional, parents: [core], portOffset: 10 }\n  - { name: berlin, tier: site, parents: [eu, core], portOffset: 30, log: { level: debug }, store: { compaction: { keepChanges: 10 } } }\n'),
      Buffer.from('nodes:\n- name: core\n  tier: core\n- name: a\n  tier: site\n  parents:\n  - core\n'),
    ],
    dictionary: YAML_TOKENS,
    maxBytes: 16 * 1024,
    run(input: Buffer): Outcome {
      parseTopology(input.toString('utf8'), 'fuzz-topology.yaml');
      return 'accepted';
    },
  };
}
