// The README's demo commands, run as written (the CoreDNS way): every shell
// block the README marks with DEMO_MARKER is run line by line against the
// demo federation `strata up` starts — dig, ldapwhoami, chronyd, curl and the
// strata CLI — and each line must exit 0. Only two things are adapted: `npx
// strata` runs this checkout's bin/strata, and the demo's ports (153xx) move
// to a free block, so a busy port cannot fail the run.

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireTools } from '../support/debian-tools';
import { eventually } from '../support/eventually';
import { freeBasePort } from '../support/ports';

const ROOT = path.resolve(__dirname, '../../..');
const STRATA = path.join(ROOT, 'bin/strata');
export const DEMO_MARKER = '<!-- demo commands: run by test/conformance/readme.test.ts -->';
const DEMO_BASE_PORT = 15300;

/** The marked blocks' commands (continuation lines joined), in README order. */
export function demoCommands(readme: string): string[] {
  const commands: string[] = [];
  const lines = readme.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== DEMO_MARKER) continue;
    assert.equal(lines[i + 1]!.trim(), '```sh', `README line ${i + 2}: the demo marker must be followed by a sh block`);
    let pending = '';
    for (let j = i + 2; j < lines.length && lines[j]!.trim() !== '```'; j++) {
      const line = lines[j]!.trim();
      if (line.endsWith('\\')) {
        pending += `${line.slice(0, -1)} `;
        continue;
      }
      const command = `${pending}${line}`.trim();
      pending = '';
      if (command && !command.startsWith('#')) commands.push(command);
    }
  }
  return commands;
}

function adapt(command: string, basePort: number): string {
  return command.replace(/\bnpx strata\b/g, `${process.execPath} ${STRATA}`).replace(/\b153(\d\d)\b/g, (_, offset: string) => String(basePort + Number(offset)));
}

describe('README demo commands (as written, against strata up)', function () {
  this.timeout(300_000);
  let dir: string;
  let up: ChildProcess | undefined;
  let basePort: number;

  before(async () => {
    requireTools(['dig', 'ldapwhoami', 'ldapsearch', 'ldappasswd', 'chronyd', 'curl']);
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-readme-'));
    basePort = await freeBasePort(100);
    up = spawn(process.execPath, [STRATA, 'up', '--base-port', String(basePort)], { cwd: dir, stdio: 'ignore' });
    await eventually(() => assert.ok(existsSync(path.join(dir, 'strata-data', 'endpoints.json')), 'strata up is ready'), 90_000, 250);
    // The file the README's `zone import` example names.
    writeFileSync(path.join(dir, 'berlin.zone'), '$ORIGIN berlin.eu.edge.example.\n$TTL 300\nprinter IN A 127.0.30.20\nfiles IN CNAME printer\n');
  });

  after(async () => {
    if (up && up.exitCode === null) {
      const exited = new Promise((resolve) => up!.once('exit', resolve));
      up.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the marked blocks: the quick start and the CLI, DNS, NTP and LDAP examples', () => {
    const commands = demoCommands(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    for (const tool of ['dig ', 'ldapwhoami ', 'ldapsearch ', 'chronyd ', 'curl ', 'npx strata record ', 'npx strata service ', 'npx strata user ', 'npx strata time ', 'ldappasswd ']) {
      assert.ok(commands.some((c) => c.startsWith(tool) || c.includes(` ${tool}`)), `a marked block runs ${tool.trim()}`);
    }
    for (const command of commands.filter((c) => c.includes('--address'))) assert.match(command, /--address 127\./, 'health-checked examples use loopback addresses (tests never leave loopback)');
  });

  it('runs every marked command as written; each exits 0', () => {
    const failures: string[] = [];
    for (const command of demoCommands(readFileSync(path.join(ROOT, 'README.md'), 'utf8'))) {
      const run = spawnSync('sh', ['-c', adapt(command, basePort)], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      if (run.status !== 0) failures.push(`${command}\n  → exit ${run.status ?? run.signal}: ${`${run.stdout}${run.stderr}`.trim().split('\n').slice(-3).join(' | ')}`);
    }
    assert.deepEqual(failures, [], `README commands that failed on the demo:\n${failures.join('\n')}`);
  });

  it('uses the demo ports the README shows (15300 + the node\'s offset)', () => {
    const endpoints = JSON.parse(readFileSync(path.join(dir, 'strata-data', 'endpoints.json'), 'utf8')) as { nodes: Array<{ name: string; services: Record<string, string> }> };
    const berlin = endpoints.nodes.find((n) => n.name === 'berlin')!;
    assert.equal(berlin.services['ldap'], `127.0.0.1:${basePort + 32}`, 'README: berlin LDAP at 15332');
    assert.equal(berlin.services['dns'], `127.0.0.1:${basePort + 31}`, 'README: berlin DNS at 15331');
    assert.equal(DEMO_BASE_PORT + 32, 15332);
  });
});
