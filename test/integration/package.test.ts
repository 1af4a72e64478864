// The installable artefact (issue 18): `npm pack` makes one tarball with only
// runtime files (bin, dist/src, proto, examples, README) and every runtime
// dependency bundled — no test code, no GPL test client, and nothing fetched
// when it is installed (an edge machine may reach no registry). Installed
// into a temp prefix with npm --offline, its `strata` prints the version and
// runs a node that becomes ready.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '../support/eventually';
import { freeBasePort } from '../support/ports';

const ROOT = path.resolve(__dirname, '../../..');

describe('the packed artefact (npm pack, installed offline)', function () {
  this.timeout(180_000);
  let dir: string;
  let tarball: string;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-pack-'));
    // --ignore-scripts: dist/ is built already, and rebuilding it would pull it from under the tests running now.
    const out = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    tarball = path.join(dir, out.trim().split('\n').pop()!);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds runtime files and bundled runtime dependencies only', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\n').filter(Boolean);
    assert.ok(files.includes('package/bin/strata') && files.includes('package/dist/src/cli/main.js') && files.includes('package/proto/strata/v1/link.proto'));
    assert.ok(files.some((f) => f.startsWith('package/node_modules/lmdb/')), 'dependencies are bundled');
    const strays = files.filter((f) => /^package\/(test|bench|src|scripts|dist\/test|dist\/bench)\/|node_modules\/(ntp-time-sync|typescript|mocha|eslint)\//.test(f));
    assert.deepEqual(strays, [], 'no tests, sources, benchmarks, dev tools or the GPL test client');
  });

  it('installs with no registry, and its strata prints the version and runs a node', async () => {
    const prefix = path.join(dir, 'prefix');
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    const strata = path.join(prefix, 'bin', 'strata');
    const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(execFileSync(strata, ['--version'], { encoding: 'utf8' }).trim(), version);
    const port = await freeBasePort(10);
    const config = path.join(dir, 'core.yaml');
    writeFileSync(config, [
      'name: core', 'tier: core', `dataDir: ${path.join(dir, 'data')}`,
      'federation: { domain: edge.example., baseDn: "dc=edge,dc=example" }',
      `listen: { grpc: "127.0.0.1:${port}", dns: "127.0.0.1:${port + 1}", ldap: "127.0.0.1:${port + 2}", ntp: "127.0.0.1:${port + 3}", http: "127.0.0.1:${port + 4}", ldaps: "127.0.0.1:${port + 5}" }`,
      'log: { level: warn }',
    ].join('\n'));
    const node = spawn(strata, ['node', '--config', config], { stdio: 'ignore' });
    try {
      await eventually(async () => assert.equal((await fetch(`http://127.0.0.1:${port + 4}/readyz`)).status, 200), 60_000, 250);
    } finally {
      const exited = new Promise((resolve) => node.once('exit', resolve));
      node.kill('SIGTERM');
      await exited;
    }
  });
});
