// The node the live fuzz attacks: one core in plaintext mode on loopback
// ports from freeBasePort, started as `strata node --config` the way the
// integration tests start nodes, and the checks that it still answers
// afterwards (DNS, an LDAP root DSE search, NTP, /healthz), plus what its
// log says went wrong.

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { rawQuery } from '../support/dns-client';
import { eventually } from '../support/eventually';
import { LdapClient } from '../support/ldap-client';
import { ntpQuery } from '../support/ntp-client';
import { freeBasePort } from '../support/ports';
import { STRATA_BIN } from '../support/strata-cli';

export interface LogError {
  level: number;
  /** The first such line's message and error. */
  text: string;
  count: number;
  /** Of the first, since the node was started. */
  firstMs: number | undefined;
}

export type Listener = 'grpc' | 'dns' | 'ldap' | 'ntp' | 'http' | 'ldaps';
const OFFSETS: Record<Listener, number> = { grpc: 0, dns: 1, ldap: 2, ntp: 3, http: 4, ldaps: 5 };

export class LiveNode {
  readonly addresses: Record<Listener, { host: string; port: number }>;
  exit: { code: number | null; signal: NodeJS.Signals | null; atMs: number } | undefined;
  private child: ChildProcess | undefined;

  private constructor(readonly dataDir: string, basePort: number, private readonly startedMs: number) {
    this.addresses = Object.fromEntries((Object.keys(OFFSETS) as Listener[]).map((l) => [l, { host: '127.0.0.1', port: basePort + OFFSETS[l] }])) as Record<Listener, { host: string; port: number }>;
  }

  static async start(): Promise<LiveNode> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-fuzz-live-'));
    const node = new LiveNode(dataDir, await freeBasePort(10), Date.now());
    await node.launch();
    return node;
  }

  address(listener: Listener): string {
    const a = this.addresses[listener];
    return `${a.host}:${a.port}`;
  }

  get logFile(): string {
    return path.join(this.dataDir, 'node.log');
  }

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  private async launch(): Promise<void> {
    const config = {
      name: 'core',
      tier: 'core',
      dataDir: path.join(this.dataDir, 'core'),
      federation: { domain: 'edge.example.', baseDn: 'dc=edge,dc=example' },
      directory: { adminPassword: 'fuzz-admin' },
      listen: Object.fromEntries((Object.keys(OFFSETS) as Listener[]).map((l) => [l, this.address(l)])),
      security: { mode: 'plaintext' },
      log: { level: 'warn' },
    };
    const file = path.join(this.dataDir, 'node.yaml');
    writeFileSync(file, stringify(config));
    const log = openSync(this.logFile, 'a');
    const child = spawn(process.execPath, [STRATA_BIN, 'node', '--config', file], { stdio: ['ignore', log, log] });
    closeSync(log);
    this.child = child;
    child.on('exit', (code, signal) => (this.exit = { code, signal, atMs: Date.now() - this.startedMs }));
    await eventually(async () => {
      if (this.exit) throw new Error(`the node exited with ${this.exit.code ?? this.exit.signal}: ${this.logTail()}`);
      if ((await httpGet(this.addresses.http.port, '/readyz')).status !== 200) throw new Error('not ready');
    }, 30_000, 100);
  }

  logTail(lines = 5): string {
    try {
      return readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /**
   * Error and fatal lines of the node's log, grouped by message (numbers masked), with the first
   * one's time since the node started. Lines that are not JSON (a library writing to stderr) count as errors.
   */
  logErrors(): LogError[] {
    const groups = new Map<string, LogError>();
    let text = '';
    try {
      text = readFileSync(this.logFile, 'utf8');
    } catch {
      return [];
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let entry: { level?: number; time?: number; msg?: string; err?: { type?: string; message?: string } };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        entry = { level: 50, msg: `(not JSON) ${line.slice(0, 200)}` };
      }
      if ((entry.level ?? 0) < 50) continue;
      const what = `${entry.msg ?? ''}${entry.err ? ` — ${entry.err.type ?? 'Error'}: ${(entry.err.message ?? '').slice(0, 200)}` : ''}`;
      const key = what.replace(/\d+/g, 'N');
      const group = groups.get(key) ?? { level: entry.level!, text: what, count: 0, firstMs: entry.time ? entry.time - this.startedMs : undefined };
      group.count++;
      groups.set(key, group);
    }
    return [...groups.values()].sort((a, b) => b.count - a.count);
  }

  /** The checks after the fuzz: each problem as a sentence (empty: all good). */
  async checks(): Promise<Array<{ check: string; ok: boolean; detail: string }>> {
    const run = async (check: string, work: () => Promise<string>): Promise<{ check: string; ok: boolean; detail: string }> => {
      try {
        return { check, ok: true, detail: await eventually(work, 5000, 200) };
      } catch (err) {
        return { check, ok: false, detail: (err as Error).message };
      }
    };
    return [
      { check: 'process alive', ok: this.alive, detail: this.alive ? `pid ${this.child!.pid}` : `exited ${JSON.stringify(this.exit)}: ${this.logTail()}` },
      await run('DNS SOA edge.example (UDP)', async () => {
        const reply = await rawQuery(this.address('dns'), 'edge.example', 6, 2000);
        if (reply.rcode !== 0 || reply.answers.length === 0) throw new Error(`rcode ${reply.rcode}, ${reply.answers.length} answers`);
        return `rcode ${reply.rcode}, ${reply.answers.length} answer(s)`;
      }),
      await run('LDAP root DSE (anonymous, base "", scope base)', async () => {
        const client = new LdapClient(this.address('ldap'));
        try {
          const found = await client.search('', { scope: 'base', filter: '(objectClass=*)' });
          if (found.length !== 1) throw new Error(`${found.length} entries`);
          return `${Object.keys(found[0]!.attrs).length} attribute(s)`;
        } finally {
          client.close();
        }
      }),
      await run('NTP client request', async () => {
        const reply = await ntpQuery(this.address('ntp'), 2000);
        if (!reply || reply.mode !== 4) throw new Error('no server reply');
        return `stratum ${reply.stratum}, leap ${reply.leap}`;
      }),
      await run('GET /healthz', async () => {
        const res = await httpGet(this.addresses.http.port, '/healthz');
        if (res.status !== 200) throw new Error(`status ${res.status}`);
        return `${res.status} ${res.body.trim()}`;
      }),
    ];
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && this.alive) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export function httpGet(port: number, urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, timeout: 2000, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${urlPath}: no answer within 2 s`)));
    req.on('error', reject);
  });
}
