// The systemd unit in examples/ as systemd itself reads it: `systemd-analyze
// verify` (Debian `systemd`) must accept it without a warning, with ExecStart
// pointed at this checkout's bin/strata (the unit names the installed path).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireTools } from '../support/debian-tools';

const ROOT = path.resolve(__dirname, '../../..');

describe('systemd unit (systemd-analyze verify)', () => {
  let dir: string;
  before(() => {
    requireTools(['systemd-analyze']);
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-unit-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const verify = (unit: string): { status: number | null; output: string } => {
    const file = path.join(dir, 'strata.service');
    writeFileSync(file, unit.replaceAll('/usr/local/bin/strata', path.join(ROOT, 'bin/strata')));
    // Messages to the console even without a terminal (else they may go to the journal, and nothing could fail).
    const run = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_TARGET: 'console' } });
    return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
  };

  it('accepts examples/strata.service without a warning: hardened, with its state dir and the capability to bind 53/123/389/636', () => {
    const unit = readFileSync(path.join(ROOT, 'examples/strata.service'), 'utf8');
    for (const line of ['User=strata', 'StateDirectory=strata', 'ProtectSystem=strict', 'NoNewPrivileges=yes', 'PrivateTmp=yes', 'AmbientCapabilities=CAP_NET_BIND_SERVICE', 'Type=exec']) {
      assert.ok(unit.split('\n').includes(line), `the unit sets ${line}`);
    }
    const result = verify(unit);
    assert.equal(result.status, 0, result.output);
    assert.equal(result.output, '', 'no warnings');
  });

  it('would catch a broken unit (the check can fail)', () => {
    const broken = verify(readFileSync(path.join(ROOT, 'examples/strata.service'), 'utf8').replace(/^Type=exec$/m, 'Type=bogus'));
    assert.match(broken.output, /Failed to parse service type/);
  });
});
