// unbound (Debian `unbound`) started in a temp dir with its own config, in
// the foreground, for the conformance suite (as a resolver) and the DNS
// benchmark (as the reference server). The config is checked first, so a
// bad one fails with unbound-checkconf's message.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** unbound on 127.0.0.1:`port`, `threads` threads (1), with `server` lines added to its server: clause and `extra` clauses after it. */
export function startUnbound(dir: string, port: number, server: string[], extra: string[] = [], file = 'unbound.conf', threads = 1): ChildProcess {
  const conf = path.join(dir, file);
  writeFileSync(conf, [
    'server:',
    '  interface: 127.0.0.1',
    `  port: ${port}`,
    `  num-threads: ${threads}`,
    ...(threads > 1 ? ['  so-reuseport: yes'] : []),
    '  do-daemonize: no',
    '  use-syslog: no',
    '  username: ""',
    '  chroot: ""',
    `  directory: "${dir}"`,
    `  pidfile: "${path.join(dir, 'unbound.pid')}"`,
    '  access-control: 127.0.0.0/8 allow',
    ...server,
    ...extra,
  ].join('\n'));
  const check = spawnSync('unbound-checkconf', [conf], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`unbound config rejected: ${check.stdout}${check.stderr}`);
  return spawn('unbound', ['-d', '-c', conf], { stdio: 'ignore' });
}
