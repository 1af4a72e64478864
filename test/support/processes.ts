// Child processes as the OS sees them: for tests and benchmarks of nodes
// that run workers (LDAP, DNS) as child processes.

import { execFileSync } from 'node:child_process';

/** Live child processes of `pid`. */
export function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none (callers assert what they expect to see first)
  }
}

/** Whether a process with that pid exists (signal 0 checks without sending). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
