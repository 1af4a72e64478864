import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { instancesOf, nodeConfigFor, parseTopology } from '../../../src/cli/up/topology';
import { buildConfig } from '../../../src/node/config';
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

  it('examples/ha-core.yaml: the core runs as 3 members (core, core-2, core-3) on etcd at base + 80…, and children list every member as a parent', () => {
    const file = path.resolve(__dirname, '../../../../examples/ha-core.yaml');
    const topology = parseTopology(readFileSync(file, 'utf8'), file);
    assert.deepEqual(instancesOf(topology).map((i) => i.instance), ['core', 'core-2', 'core-3', 'eu', 'us', 'berlin', 'paris', 'nyc', 'sfo']);
    const core = topology.nodes[0]!;
    const member3 = nodeConfigFor(topology, core, 15300, '/data', '127.0.0.1', 3) as { name: string; dataDir: string; listen: { grpc: string }; core: unknown };
    assert.equal(member3.name, 'core');
    assert.equal(member3.dataDir, '/data/core-3');
    assert.equal(member3.listen.grpc, '127.0.0.1:15390');
    assert.deepEqual(member3.core, { member: 'core-3', etcd: { endpoints: ['127.0.0.1:15380', '127.0.0.1:15382', '127.0.0.1:15384'], maxTxnOps: 10000 } });
    const berlin = nodeConfigFor(topology, topology.nodes.find((n) => n.name === 'berlin')!, 15300, '/data') as { parents: unknown };
    assert.deepEqual(berlin.parents, [
      { name: 'eu', address: '127.0.0.1:15310' },
      { name: 'core', address: '127.0.0.1:15300' },
      { name: 'core', address: '127.0.0.1:15370' },
      { name: 'core', address: '127.0.0.1:15390' },
    ]);
    for (const { node, member, instance } of instancesOf(topology)) buildConfig(nodeConfigFor(topology, node, 15300, '/data', '127.0.0.1', member), instance, '/data');
    assert.throws(() => parseTopology('nodes:\n  - { name: core, tier: core }\n  - { name: eu, tier: regional, parents: [core], members: 2 }\n', 't.yaml'), /t\.yaml: nodes\[1\]\.members: only the core runs as a group/);
  });
});
