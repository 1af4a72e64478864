import assert from 'node:assert/strict';
import { parseTopology } from '../../../src/cli/topology';
import { ConfigError } from '../../../src/kernel/errors';

describe('topology files', () => {
  it('takes anchors and aliases', () => {
    const topology = parseTopology('nodes:\n  - { name: core, tier: core }\n  - { name: eu, tier: regional, parents: &up [core] }\n  - { name: berlin, tier: site, parents: *up }\n', 'aliases.yaml');
    assert.deepEqual(topology.nodes[2]!.parents, ['core']);
  });

  // Found by `npm run fuzz` (topology target): yaml throws a ReferenceError while converting, after parsing reported no error.
  it('reports an alias with no anchor before it as a ConfigError, not a ReferenceError', () => {
    const text = 'nodes:\n- <<: *acore\n  tier: core\n- name: a\n  tier: site\n  parents:\n  - core\n';
    assert.throws(() => parseTopology(text, 'alias.yaml'), (err: unknown) => err instanceof ConfigError && /alias\.yaml: not valid YAML: .*alias/i.test(err.message));
  });

  it('refuses a "billion laughs" file with a ConfigError', () => {
    let text = 'a: &a [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 0, prev = 'a'; i < 8; prev = `b${i}`, i++) text += `b${i}: &b${i} [${Array(10).fill(`*${prev}`).join(', ')}]\n`;
    assert.throws(() => parseTopology(text, 'laughs.yaml'), (err: unknown) => err instanceof ConfigError && /laughs\.yaml: not valid YAML: Excessive alias count/.test(err.message));
  });
});
