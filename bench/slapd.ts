// OpenLDAP's slapd (Debian `slapd`) as the directory benchmark's reference:
// a back-mdb database in a temp dir, loaded offline with slapadd from the
// same LDIF Strata imports, indexed as a real deployment would be (objectClass,
// uid, cn, mail, member: eq), then served in the foreground on loopback.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Slapd {
  address: string;
  process: ChildProcess;
  /** slapadd's wall time for the LDIF (ms). */
  loadMs: number;
  stop(): Promise<void>;
}

export async function startSlapd(dir: string, port: number, suffix: string, rootPassword: string, ldifFile: string, now: () => number): Promise<Slapd> {
  mkdirSync(path.join(dir, 'db'), { recursive: true });
  const conf = path.join(dir, 'slapd.conf');
  writeFileSync(conf, [
    ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include /etc/ldap/schema/${s}.schema`),
    `pidfile ${path.join(dir, 'slapd.pid')}`,
    `argsfile ${path.join(dir, 'slapd.args')}`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'loglevel 0',
    'database mdb',
    'maxsize 8589934592',
    `suffix "${suffix}"`,
    `rootdn "cn=admin,${suffix}"`,
    `rootpw ${rootPassword}`,
    `directory ${path.join(dir, 'db')}`,
    'index objectClass,uid,cn,mail,member eq',
    'access to * by * read',
    '',
  ].join('\n'));
  const started = now();
  const load = spawnSync('slapadd', ['-q', '-f', conf, '-l', ldifFile], { encoding: 'utf8' });
  if (load.status !== 0) throw new Error(`slapadd failed: ${load.stderr}`);
  const loadMs = now() - started;
  const child = spawn('slapd', ['-d', '0', '-f', conf, '-h', `ldap://127.0.0.1:${port}/`], { stdio: 'ignore' });
  await waitForPort(port);
  return {
    address: `127.0.0.1:${port}`,
    process: child,
    loadMs,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

async function waitForPort(port: number): Promise<void> {
  const net = await import('node:net');
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`slapd did not listen on 127.0.0.1:${port} within 10 s`);
}
