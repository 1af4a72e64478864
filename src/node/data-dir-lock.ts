// One process per data dir: `<dataDir>/node.pid`, created exclusively and
// holding our pid. A pid file left by a process that no longer exists (kill
// -9, power loss) is taken over; a live one refuses start-up with a message
// naming the pid. It does not protect against two hosts sharing a disk.

import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { LockedError, StrataError } from '../kernel/errors';
import { PRIVATE_DIR_MODE } from './private-files';

export const PID_FILE = 'node.pid';

export class DataDirLock {
  private held = false;

  /** `fileName`: node.pid for a node; `strata up` locks its data dir with its own file. */
  constructor(readonly dataDir: string, private readonly fileName = PID_FILE) {}

  get pidFile(): string {
    return path.join(this.dataDir, this.fileName);
  }

  acquire(): void {
    try {
      mkdirSync(this.dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    } catch (err) {
      throw new StrataError('CONFIG', `cannot create data dir ${this.dataDir}: ${(err as NodeJS.ErrnoException).code}; check the path and its permissions`, { cause: err });
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      if (this.tryCreate()) return;
      const owner = this.liveOwner();
      if (owner !== undefined) {
        throw new LockedError(`data dir ${this.dataDir} is in use by process ${owner} (${this.pidFile}); stop that node first or use another data dir`);
      }
      try {
        unlinkSync(this.pidFile);
      } catch {
        // someone else removed it; try again
      }
    }
    throw new LockedError(`could not lock data dir ${this.dataDir}: ${this.pidFile} keeps reappearing; is another node starting?`);
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    if (this.readOwner() === process.pid) {
      try {
        unlinkSync(this.pidFile);
      } catch {
        // already gone: nothing to release
      }
    }
  }

  private tryCreate(): boolean {
    let fd: number;
    try {
      fd = openSync(this.pidFile, 'wx', 0o644);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      throw new StrataError('CONFIG', `cannot write ${this.pidFile}: ${code}; check permissions of the data dir`, { cause: err });
    }
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    this.held = true;
    return true;
  }

  /** The pid of another live process holding this lock, if any (a check that changes nothing). */
  liveOwner(): number | undefined {
    const owner = this.readOwner();
    return owner !== undefined && owner !== process.pid && isAlive(owner) ? owner : undefined;
  }

  private readOwner(): number | undefined {
    try {
      const pid = Number.parseInt(readFileSync(this.pidFile, 'utf8').trim(), 10);
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
