import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LockedError } from '../../../src/kernel/errors';
import { DataDirLock } from '../../../src/node/data-dir-lock';

describe('data-dir lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes our pid and removes it on release', () => {
    const lock = new DataDirLock(path.join(dir, 'node'));
    lock.acquire();
    assert.equal(readFileSync(lock.pidFile, 'utf8').trim(), String(process.pid));
    lock.release();
    assert.equal(existsSync(lock.pidFile), false);
  });

  it('refuses a data dir held by a live process, naming it', () => {
    const live = spawnSync('sh', ['-c', 'echo $PPID'], { encoding: 'utf8' });
    assert.equal(live.status, 0);
    writeFileSync(path.join(dir, 'node.pid'), `${process.ppid}\n`);
    assert.throws(() => new DataDirLock(dir).acquire(), (err: unknown) => err instanceof LockedError && new RegExp(`in use by process ${process.ppid}`).test(err.message));
  });

  it('takes over a pid file left by a dead process', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(path.join(dir, 'node.pid'), `${dead.stdout}\n`);
    const lock = new DataDirLock(dir);
    lock.acquire();
    assert.equal(readFileSync(lock.pidFile, 'utf8').trim(), String(process.pid));
    lock.release();
  });
});
