import assert from 'node:assert/strict';
import path from 'node:path';
import { stringify } from 'yaml';
import { ConfigError } from '../../../src/kernel/errors';
import { autoWorkers, configWarnings, loadConfigFile, parseConfigText, toUserConfig } from '../../../src/node/config';

const EXAMPLES = path.resolve(__dirname, '../../../../examples');

const VALID = `
name: berlin
tier: site
parents:
  - { name: eu, address: 127.0.0.1:15310 }
dataDir: /tmp/strata-berlin
`;

function expectConfigError(text: string, pattern: RegExp): void {
  assert.throws(
    () => parseConfigText(text, 'node.yaml'),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
      assert.match(err.message, pattern);
      return true;
    },
  );
}

describe('node config', () => {
  it('loads the full example and round-trips it through the user form', () => {
    const config = loadConfigFile(path.join(EXAMPLES, 'berlin.yaml'));
    assert.equal(config.name, 'berlin');
    assert.equal(config.tier, 'site');
    assert.deepEqual(config.parents.map((p) => [p.name, p.address.host, p.address.port]), [
      ['eu', '10.1.0.10', 15300],
      ['core', '10.0.0.10', 15300],
    ]);
    assert.deepEqual(config.listen.dns, { host: '0.0.0.0', port: 53 });
    assert.equal(config.store.compaction.keepChanges, 100000);
    assert.equal(config.dns.workers, autoWorkers(), 'dns.workers: auto is the cores but one');
    assert.equal(config.directory.workers, autoWorkers(), 'directory.workers: auto likewise');
    assert.deepEqual([autoWorkers(1), autoWorkers(2), autoWorkers(8), autoWorkers(200)], [0, 1, 7, 64]);
    assert.equal(config.time.maxDistanceMs, 1500);
    const again = parseConfigText(stringify(toUserConfig(config)), 'round-trip.yaml');
    assert.deepEqual(again, config);
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.listen) && Object.isFrozen(config.parents[0]));
  });

  it('fills defaults and normalises the core federation settings', () => {
    const config = loadConfigFile(path.join(EXAMPLES, 'core.yaml'));
    assert.deepEqual(config.federation, { domain: 'edge.example.', baseDn: 'dc=edge,dc=example' });
    assert.deepEqual(config.parents, []);
    assert.deepEqual(config.listen.ldap, { host: '0.0.0.0', port: 389 });
    assert.equal(config.log.level, 'info');
    assert.deepEqual(config.time.upstreams, [], 'the example serves its own clock');
    assert.deepEqual(config.directory, {
      adminPassword: '{SSHA}XTquCGWOGSJj/ZpVHotfDORqT4q31ieq2Gfxzw==',
      tls: undefined,
      sizeLimit: 500,
      timeLimitS: 60,
      maxMessageBytes: 1048576,
      credentialPolicy: [{ group: 'cn=admins,ou=groups,dc=edge,dc=example', lowestTier: 'core' }, { subtree: 'ou=people,dc=edge,dc=example', lowestTier: 'regional' }],
      indexes: [],
      workers: autoWorkers(),
    });
    assert.deepEqual(parseConfigText(stringify(toUserConfig(config)), 'round-trip.yaml'), config);
    const minimal = parseConfigText(VALID.replace('/tmp/strata-berlin', 'data'), '/etc/strata/node.yaml');
    assert.equal(minimal.dataDir, '/etc/strata/data');
  });

  it('loads examples/core-member.yaml: a member of a core group on etcd; only the core may have a core section; a parent name may repeat at other addresses', () => {
    const config = loadConfigFile(path.join(EXAMPLES, 'core-member.yaml'));
    assert.equal(config.name, 'core');
    assert.deepEqual(config.core, { member: 'core-1', etcd: { endpoints: ['10.0.0.21:2379', '10.0.0.22:2379', '10.0.0.23:2379'], prefix: '/strata/', callTimeoutMs: 1500, maxTxnOps: 10000 } });
    assert.deepEqual(parseConfigText(stringify(toUserConfig(config)), 'round-trip.yaml'), config);
    const unnamed = parseConfigText('name: core\ntier: core\ndataDir: d\nfederation: { domain: a.example., baseDn: dc=a }\ncore: { etcd: { endpoints: [127.0.0.1:2379] } }\n', 'm.yaml');
    assert.equal(unnamed.core?.member, '0.0.0.0:15300', 'a member is named by its gRPC address unless named');
    assert.deepEqual(parseConfigText(stringify(toUserConfig(unnamed)), 'round-trip.yaml'), unnamed);
    expectConfigError(`${VALID}\ncore: { etcd: { endpoints: [127.0.0.1:2379] } }\n`, /node\.yaml: core: only a core member/);
    expectConfigError('name: core\ntier: core\ndataDir: d\nfederation: { domain: a.example., baseDn: dc=a }\ncore: { etcd: { endpoints: [] } }\n', /core\.etcd\.endpoints: give at least one etcd client address/);
    const withParents = (extra: string): string => VALID.replace('dataDir:', `${extra}dataDir:`);
    const members = parseConfigText(withParents('  - { name: core, address: 127.0.0.1:15300 }\n  - { name: core, address: 127.0.0.1:15370 }\n'), 'node.yaml');
    assert.deepEqual(members.parents.map((p) => `${p.name}@${p.address.port}`), ['eu@15310', 'core@15300', 'core@15370']);
    expectConfigError(withParents('  - { name: core, address: 127.0.0.1:15300 }\n  - { name: core, address: 127.0.0.1:15300 }\n'), /parents\[2\]: parent core at 127\.0\.0\.1:15300 is listed twice/);
  });

  it('refuses YAML aliases that resolve to nothing, or to too much, as a ConfigError (not a raw ReferenceError)', () => {
    expectConfigError('a: *x\n', /not valid YAML/);
  });

  it('refuses unknown keys with their path', () => {
    expectConfigError(`${VALID}\nlisten: { grcp: 127.0.0.1:1 }\n`, /node\.yaml: listen: unknown key "grcp"/);
    expectConfigError(`${VALID}\ncolour: blue\n`, /\(top level\): unknown key "colour"/);
  });

  it('refuses bad time settings with their path', () => {
    expectConfigError(`${VALID}\ntime: { localStratum: 16 }\n`, /node\.yaml: time\.localStratum: /);
    expectConfigError(`${VALID}\ntime: { upstreams: [pool.ntp.org] }\n`, /node\.yaml: time\.upstreams\[0\]: expected HOST:PORT/);
  });

  it('refuses bad values with the path of the field and what is expected', () => {
    expectConfigError(VALID.replace('tier: site', 'tier: edge'), /tier: .*"core".*"regional".*"site"/);
    expectConfigError(VALID.replace('127.0.0.1:15310', 'localhost'), /parents\[0\]\.address: expected HOST:PORT/);
    expectConfigError(VALID.replace('name: berlin', 'name: Berlin_1'), /name: expected a node name/);
    expectConfigError(VALID.replace('dataDir: /tmp/strata-berlin', ''), /dataDir: is required/);
    expectConfigError(`${VALID}\nstore: { compaction: { keepChanges: -1 } }\n`, /store\.compaction\.keepChanges/);
    expectConfigError(`${VALID}\nlog: { level: loud }\n`, /log\.level/);
  });

  it('enforces the tier rules', () => {
    expectConfigError(VALID.replace('tier: site', 'tier: core'), /parents: the core has no parents/);
    expectConfigError('name: core\ntier: core\ndataDir: d\n', /federation: is required on the core/);
    expectConfigError('name: eu\ntier: regional\ndataDir: d\n', /parents: a regional node needs at least one parent/);
    expectConfigError(`${VALID}\nfederation: { domain: a.example., baseDn: dc=a }\n`, /only the core declares the federation/);
    expectConfigError(VALID.replace('name: eu', 'name: berlin'), /cannot be its own parent/);
    expectConfigError(`${VALID}\ndirectory: { adminPassword: x }\n`, /directory\.adminPassword: only the core sets the directory admin password/);
    expectConfigError(`${VALID}\ndirectory: { sizeLimit: -1 }\n`, /directory\.sizeLimit/);
    expectConfigError(`${VALID}\ndirectory: { credentialPolicy: [{ subtree: 'ou=people,dc=x', lowestTier: site }] }\n`, /directory\.credentialPolicy: only the core/);
    expectConfigError(`name: core\ntier: core\ndataDir: d\nfederation: { domain: a., baseDn: dc=a }\ndirectory: { credentialPolicy: [{ lowestTier: site }] }\n`, /directory\.credentialPolicy\[0\]: give exactly one of subtree or group/);
    expectConfigError(`name: core\ntier: core\ndataDir: d\nfederation: { domain: a., baseDn: dc=a }\ndirectory: { credentialPolicy: [{ subtree: people, lowestTier: site }] }\n`, /directory\.credentialPolicy\[0\]\.subtree: invalid DN/);
    expectConfigError(`name: core\ntier: core\ndataDir: d\nfederation: { domain: a., baseDn: dc=a }\ndirectory: { credentialPolicy: [{ group: 'cn=x,dc=b', lowestTier: site }] }\n`, /\.group: cn=x,dc=b is not under the base DN dc=a/);
  });

  it('warns (at start and with --check) when the tree would be told 127.0.0.1 as this node\'s name server', () => {
    assert.deepEqual(configWarnings(loadConfigFile(path.join(EXAMPLES, 'berlin.yaml'))), [], 'the example sets dns.advertise');
    assert.deepEqual(configWarnings(loadConfigFile(path.join(EXAMPLES, 'core.yaml'))), []);
    const [warning] = configWarnings(parseConfigText(`${VALID}\nlisten: { dns: "0.0.0.0:53" }\n`, 'node.yaml'));
    assert.match(warning ?? '', /listen\.dns is 0\.0\.0\.0:53 and dns\.advertise is not set: the tree will be told 127\.0\.0\.1/);
    assert.deepEqual(configWarnings(parseConfigText(`${VALID}\nlisten: { dns: "10.1.0.20:53" }\n`, 'node.yaml')), []);
  });

  it('reports every problem in a file at once, each with its field', () => {
    assert.throws(() => parseConfigText('name: eu\ntier: regional\ndataDir: d\nlisten: { dns: "nowhere", ntp: 99999 }\nparents: [{ name: core, address: "x" }]\n', 'node.yaml'), (err: Error) => {
      assert.match(err.message, /^\d+ problems:/);
      assert.match(err.message, /node\.yaml: listen\.dns: /);
      assert.match(err.message, /node\.yaml: listen\.ntp: /);
      assert.match(err.message, /node\.yaml: parents\[0\]\.address: /, 'a bad parent address is not hidden behind a bad listen.dns');
      return true;
    });
    assert.throws(() => parseConfigText('name: core\ntier: core\ndataDir: d\nparents: [{ name: x, address: "127.0.0.1:1" }]\nsecurity: { joinToken: t }\n', 'core.yaml'), /3 problems:\n {2}- core\.yaml: parents: the core has no parents[^]*security\.joinToken[^]*federation: is required/);
  });

  it('takes the join token from a file (resolved next to the config), never both forms, never at the core', () => {
    const parsed = parseConfigText(`${VALID}\nsecurity: { joinTokenFile: berlin/join.token }\n`, '/etc/strata/node.yaml');
    assert.equal(parsed.security.joinTokenFile, '/etc/strata/berlin/join.token');
    expectConfigError(`${VALID}\nsecurity: { joinToken: t, joinTokenFile: f }\n`, /security\.joinTokenFile: give joinToken or joinTokenFile, not both/);
    expectConfigError('name: core\ntier: core\ndataDir: d\nfederation: { domain: a., baseDn: dc=a }\nsecurity: { joinTokenFile: f }\n', /security\.joinTokenFile: the core makes join tokens/);
    expectConfigError(`${VALID}\ndirectory: { maxMessageBytes: 10 }\n`, /directory\.maxMessageBytes/);
  });

  it('refuses broken YAML and duplicate keys', () => {
    expectConfigError('name: [unclosed', /not valid YAML/);
    expectConfigError(`${VALID}\nname: again\n`, /not valid YAML/);
  });

  it('names the file when it cannot be read', () => {
    assert.throws(() => loadConfigFile('/nonexistent/strata.yaml'), /cannot read config file \/nonexistent\/strata\.yaml: ENOENT/);
  });
});
