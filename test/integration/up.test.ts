// `strata up` as a user runs it: seven real node processes on loopback.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SystemClock } from '../../src/kernel/clock';
import { checkHealth, fetchNodeStatus } from '../../src/federation/client/status-client';
import { ClientTls } from '../../src/federation/grpc/grpc-adapter';
import type { Endpoints } from '../../src/cli/up/endpoints';
import { nodeMallocEnv } from '../../src/cli/node-env';
import { eventually } from '../support/eventually';
import { freeBasePort } from '../support/ports';
import { StrataProcess, isAlive, runStrata } from '../support/strata-cli';

const DEMO = [
  ['core', 'core', []],
  ['eu', 'regional', ['core']],
  ['us', 'regional', ['core']],
  ['berlin', 'site', ['eu', 'core']],
  ['paris', 'site', ['eu', 'core']],
  ['nyc', 'site', ['us', 'core']],
  ['sfo', 'site', ['us', 'core']],
] as const;
const OFFSETS: Record<string, number> = { core: 0, eu: 10, us: 20, berlin: 30, paris: 40, nyc: 50, sfo: 60 };

describe('strata up (demo topology)', function () {
  this.timeout(120_000);
  const clock = new SystemClock();
  let dataDir: string;
  let basePort: number;
  let up: StrataProcess;
  let endpoints: Endpoints;
  let tls: ClientTls = ClientTls.PLAINTEXT;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-up-'));
    basePort = await freeBasePort();
    up = new StrataProcess(['up', '--base-port', String(basePort), '--data-dir', dataDir]);
    await eventually(() => {
      if (up.child.exitCode !== null) throw new Error(`strata up exited: ${up.stdout} ${up.stderr}`);
      assert.match(up.stdout, /Press Ctrl-C/);
    }, 60_000);
    // Progress while the nodes start, not silence: each node as it becomes ready, the last one 7/7.
    assert.match(up.stdout, /strata up: starting 7 nodes \(\d+ at a time\)/);
    assert.match(up.stdout, /^ {2}core \(core\) ready: 1\/7 after [\d.]+ s$/m, 'the core first: it is launched first and the others need it');
    assert.match(up.stdout, /ready: 7\/7 after [\d.]+ s$/m);
    endpoints = JSON.parse(readFileSync(path.join(dataDir, 'endpoints.json'), 'utf8')) as Endpoints;
    tls = new ClientTls({ caPem: readFileSync(path.join(dataDir, 'ca.crt'), 'utf8') }); // the test's clients trust up's CA, as the CLI does
  });

  after(async () => {
    up?.kill('SIGKILL');
    for (const node of endpoints?.nodes ?? []) if (isAlive(node.pid)) process.kill(node.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes a complete endpoints.json and a pid file per node', () => {
    assert.deepEqual(
      endpoints.nodes.map((n) => [n.name, n.tier, n.parents]),
      DEMO.map(([name, tier, parents]) => [name, tier, [...parents]]),
    );
    const pids = new Set(endpoints.nodes.map((n) => n.pid));
    assert.equal(pids.size, 7, 'seven distinct processes');
    assert.ok(!pids.has(up.child.pid!), 'nodes are not the launcher');
    for (const node of endpoints.nodes) {
      assert.ok(isAlive(node.pid), `${node.name} is running`);
      assert.equal(node.services.grpc, `127.0.0.1:${basePort + OFFSETS[node.name]!}`);
      assert.equal(node.services.http, `127.0.0.1:${basePort + OFFSETS[node.name]! + 4}`);
      assert.equal(readFileSync(path.join(dataDir, node.name, 'node.pid'), 'utf8').trim(), String(node.pid));
    }
  });

  it('starts each node with two malloc arenas and fixed thresholds (sites: a small heap; core and regionals: no mmap per transaction), unless the environment says otherwise', () => {
    for (const node of endpoints.nodes) {
      const environ = readFileSync(`/proc/${node.pid}/environ`, 'utf8').split('\0');
      const expected = nodeMallocEnv(node.tier);
      assert.equal(expected.MALLOC_ARENA_MAX, '2');
      assert.equal(expected.MALLOC_TRIM_THRESHOLD_, node.tier === 'site' ? '131072' : '4194304');
      assert.equal(expected.MALLOC_MMAP_THRESHOLD_, node.tier === 'site' ? undefined : '4194304');
      for (const [name, value] of Object.entries(expected)) {
        const wanted = process.env[name] ?? value;
        assert.ok(environ.includes(`${name}=${wanted}`), `${node.name} (${node.tier}) runs with ${name}=${wanted}`);
      }
      if (node.tier === 'site' && process.env.MALLOC_MMAP_THRESHOLD_ === undefined) {
        assert.ok(!environ.some((v) => v.startsWith('MALLOC_MMAP_THRESHOLD_=')), `${node.name} keeps glibc's mmap threshold`);
      }
    }
  });

  it('prints the endpoints table and copy-paste commands', () => {
    for (const [name] of DEMO) assert.match(up.stdout, new RegExp(`^${name}\\s`, 'm'));
    assert.match(up.stdout, /npx strata status --data-dir \S+\n/);
    assert.match(up.stdout, /strata settings set motd "hello edge" --node berlin --data-dir /);
  });

  it('has every node answer GetNodeStatus and gRPC health', async () => {
    for (const node of endpoints.nodes) {
      const status = await fetchNodeStatus(node.services.grpc!, clock, tls);
      assert.equal(status.name, node.name);
      assert.equal(status.tier, node.tier);
      assert.equal(status.pid, node.pid);
      assert.deepEqual(status.parents.map((p) => p.name), node.parents);
      assert.deepEqual(
        status.parents.map((p) => p.address),
        node.parents.map((p) => `127.0.0.1:${basePort + OFFSETS[p]!}`),
      );
      assert.equal(await checkHealth(node.services.grpc!, clock, tls), 'SERVING');
    }
    const core = await fetchNodeStatus(endpoints.nodes[0]!.services.grpc!, clock, tls);
    assert.equal(core.federationDomain, 'edge.example.');
  });

  it("draws the tree on the core's status page", async () => {
    const core = endpoints.nodes.find((n) => n.name === 'core')!;
    await eventually(async () => {
      const page = await (await fetch(`http://${core.services.http}/`)).text();
      for (const [name] of DEMO) assert.match(page, new RegExp(`>${name}</td>`));
      assert.match(page, /linked to eu/);
    }, 10_000, 200);
  });

  it('serves /healthz, /readyz and /metrics on each node', async () => {
    for (const node of endpoints.nodes) {
      const base = `http://${node.services.http}`;
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      assert.equal((await fetch(`${base}/readyz`)).status, 200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      assert.match(metrics, new RegExp(`node="${node.name}"`));
    }
  });

  it('answers `strata status` by node name, as text and JSON', async () => {
    const text = await runStrata(['status', '--node', 'berlin', '--data-dir', dataDir]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^federation as seen from berlin/m);
    assert.match(text.stdout, /^berlin \(site\)/m);
    const json = await runStrata(['status', '--addr', `127.0.0.1:${basePort + 50}`, '--data-dir', dataDir, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as { nodes: Array<{ name: string; tier: string }> };
    assert.equal(parsed.nodes[0]!.name, 'nyc');
    assert.equal(parsed.nodes[0]!.tier, 'site');
  });

  it('refuses a second node on a data dir in use, naming the process', async () => {
    const berlin = endpoints.nodes.find((n) => n.name === 'berlin')!;
    const result = await runStrata(['node', '--config', path.join(dataDir, 'berlin', 'node.yaml')]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, new RegExp(`in use by process ${berlin.pid}`));
    assert.ok(isAlive(berlin.pid), 'the running node is untouched');
  });

  it('refuses a second `strata up` on the same data dir before touching any file', async () => {
    const files = ['endpoints.json', 'operator.crt', 'operator.key', 'ca.crt', ...DEMO.map(([name]) => `${name}/node.yaml`)];
    const before = new Map(files.map((f) => [f, readFileSync(path.join(dataDir, f))]));
    const result = await runStrata(['up', '--base-port', String(basePort + 1000), '--data-dir', dataDir], { timeoutMs: 60_000 });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, new RegExp(`in use by process ${up.child.pid}`), result.stderr);
    for (const [file, bytes] of before) assert.deepEqual(readFileSync(path.join(dataDir, file)), bytes, `${file} is unchanged`);
    for (const node of endpoints.nodes) assert.ok(isAlive(node.pid), `${node.name} still runs`);
    // Without up's own lock (a launcher killed with -9), the nodes' locks still refuse, and still before any change.
    rmSync(path.join(dataDir, 'up.pid'));
    const again = await runStrata(['up', '--base-port', String(basePort + 1000), '--data-dir', dataDir], { timeoutMs: 60_000 });
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /node core is running from .* \(process \d+\).*nothing was changed/, again.stderr);
    for (const [file, bytes] of before) assert.deepEqual(readFileSync(path.join(dataDir, file)), bytes, `${file} is unchanged`);
    writeFileSync(path.join(dataDir, 'up.pid'), `${up.child.pid}\n`);
  });

  it('keeps data dirs and secrets readable by the node\'s user only, and no join token once enrolled', () => {
    const mode = (p: string): number => statSync(path.join(dataDir, p)).mode & 0o777;
    assert.equal(mode('.'), 0o700);
    assert.equal(mode('operator.key'), 0o600);
    for (const [name] of DEMO) {
      assert.equal(mode(name), 0o700, `${name}/`);
      assert.equal(mode(`${name}/store`), 0o700, `${name}/store`);
      for (const file of readdirSync(path.join(dataDir, name, 'store'))) assert.equal(mode(`${name}/store/${file}`), 0o600, `${name}/store/${file}`);
      assert.equal(mode(`${name}/node.yaml`), 0o600, `${name}/node.yaml`);
      assert.equal(mode(`${name}/node.log`), 0o600, `${name}/node.log`);
      assert.equal(existsSync(path.join(dataDir, name, 'join.token')), false, `${name}'s used join token is gone`);
      assert.doesNotMatch(readFileSync(path.join(dataDir, name, 'node.yaml'), 'utf8'), /strata1\./, `${name}'s config holds no token`);
    }
  });

  it('reports a node that dies, without restarting it', async () => {
    const paris = endpoints.nodes.find((n) => n.name === 'paris')!;
    process.kill(paris.pid, 'SIGKILL');
    await eventually(() => assert.match(up.stdout, /node paris \(pid \d+\) exited: killed by SIGKILL; not restarting/));
    assert.equal(isAlive(paris.pid), false);
  });

  it('stops every node on Ctrl-C (SIGINT) and leaves no process behind', async () => {
    up.kill('SIGINT');
    const exit = await up.exited;
    assert.equal(exit.code, 0, up.stderr);
    for (const node of endpoints.nodes) assert.equal(isAlive(node.pid), false, `${node.name} stopped`);
    assert.equal(existsSync(path.join(dataDir, 'endpoints.json')), false);
    assert.equal(existsSync(path.join(dataDir, 'core', 'node.pid')), false, 'clean stop removes the pid file');
  });
});

describe('strata up and node: start-up errors', function () {
  this.timeout(60_000);

  it('fails with a clear line when a port is already in use', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-up-busy-'));
    const basePort = await freeBasePort();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(basePort + 34, '127.0.0.1', resolve));
    try {
      const result = await runStrata(['up', '--base-port', String(basePort), '--data-dir', dataDir], { timeoutMs: 60_000 });
      assert.equal(result.code, 1);
      assert.match(result.stdout, new RegExp(`node berlin failed to start: cannot listen for HTTP on 127\\.0\\.0\\.1:${basePort + 34}: address already in use`));
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a missing or bad config file with one line naming it', async () => {
    const missing = await runStrata(['node', '--config', '/nonexistent/node.yaml']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    assert.match(missing.stderr, /cannot read config file \/nonexistent\/node\.yaml: ENOENT/);
  });

  it('stops a node on SIGTERM within 5 s, cleanly (pid file gone, store reopens)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-sigterm-'));
    try {
      const config = path.join(dir, 'node.yaml');
      writeFileSync(config, `name: core\ntier: core\ndataDir: ${dir}/data\nfederation: { domain: edge.example., baseDn: "dc=edge,dc=example" }\nlisten: { grpc: 127.0.0.1:0, dns: 127.0.0.1:0, ntp: 127.0.0.1:0, http: 127.0.0.1:0 }\nlog: { level: info }\n`);
      for (let round = 0; round < 2; round++) {
        const node = new StrataProcess(['node', '--config', config]);
        // Started (every component up, signal handlers installed): the node says so in its log.
        await eventually(() => assert.match(node.stdout + node.stderr, /node started/), 10_000);
        const t0 = Date.now();
        node.kill('SIGTERM');
        const exit = await node.exited;
        assert.equal(exit.code, 0, node.stderr);
        assert.ok(Date.now() - t0 < 5000, `stopped in ${Date.now() - t0} ms`);
        assert.equal(existsSync(path.join(dir, 'data', 'node.pid')), false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a data dir it cannot create or write, with one line naming it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-baddir-'));
    try {
      const config = path.join(dir, 'node.yaml');
      writeFileSync(config, 'name: core\ntier: core\ndataDir: /etc/hostname/strata\nfederation: { domain: edge.example., baseDn: "dc=edge,dc=example" }\nlisten: { grpc: 127.0.0.1:0, dns: 127.0.0.1:0, ntp: 127.0.0.1:0, http: 127.0.0.1:0 }\n');
      const result = await runStrata(['node', '--config', config]);
      assert.equal(result.code, 1);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, /cannot create data dir \/etc\/hostname\/strata: ENOTDIR; check the path and its permissions/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses `strata status` with no running federation, saying what to do', async () => {
    const result = await runStrata(['status', '--data-dir', '/nonexistent-strata']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /is 'strata up' running/);
  });
});
