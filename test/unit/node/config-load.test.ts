import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../src/kernel/errors';
import { configWarnings, loadConfigFile } from '../../../src/node/config';
import { loadNodeConfig } from '../../../src/node/config-load';

const EXAMPLES = path.resolve(__dirname, '../../../../examples');
const DIST_SRC = path.resolve(__dirname, '../../../src');

function isDeepFrozen(value: unknown): boolean {
  if (!value || typeof value !== 'object') return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

describe('node config loaded in a throwaway thread', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-config-load-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const example of ['berlin.yaml', 'core.yaml', 'core-member.yaml']) {
    it(`gives the same frozen config and warnings as loading it in-process (${example})`, () => {
      const file = path.join(EXAMPLES, example);
      const loaded = loadNodeConfig(file);
      assert.deepEqual(loaded.config, loadConfigFile(file));
      assert.deepEqual(loaded.warnings, configWarnings(loadConfigFile(file)));
      assert.ok(isDeepFrozen(loaded.config), 'the runtime config is frozen all the way down');
    });
  }

  it('says what is wrong as the same ConfigError, with the file and the field', () => {
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'name: berlin\ntier: site\nparents: []\ndataDir: /tmp/x\nlink: { heartbeatMs: 5 }\n');
    let inProcess: unknown;
    try {
      loadConfigFile(file);
    } catch (err) {
      inProcess = err;
    }
    assert.ok(inProcess instanceof ConfigError);
    assert.throws(() => loadNodeConfig(file), (err: unknown) => {
      assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
      assert.equal(err.message, inProcess.message);
      assert.equal(err.path, inProcess.path);
      assert.match(err.message, /bad\.yaml.*link\.heartbeatMs/s);
      return true;
    });
    assert.throws(() => loadNodeConfig(path.join(dir, 'missing.yaml')), /cannot read config file .*missing\.yaml: ENOENT; check the path/);
  });

  it('leaves the YAML parser and the schema library out of a process that runs a node', () => {
    // What `strata node` loads before the node starts: the CLI, the node command, the node, and its config.
    const script = `
      require(${JSON.stringify(path.join(DIST_SRC, 'cli/main.js'))});
      require(${JSON.stringify(path.join(DIST_SRC, 'cli/node-command.js'))});
      require(${JSON.stringify(path.join(DIST_SRC, 'node/config-load.js'))}).loadNodeConfig(${JSON.stringify(path.join(EXAMPLES, 'berlin.yaml'))});
      const held = Object.keys(require.cache).filter((f) => /node_modules\\/(zod|yaml)\\//.test(f));
      process.stdout.write(JSON.stringify(held.length));`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '0', 'modules of zod or yaml are loaded in the node process');
  });
});
