// Child processes as the OS sees them: for tests and benchmarks of nodes
// that run workers (LDAP, DNS) as child processes (whether a pid lives:
// strata-cli.ts isAlive).

import { execFileSync } from 'node:child_process';

/** Live child processes of `pid`. */
export function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none (callers assert what they expect to see first)
  }
}
