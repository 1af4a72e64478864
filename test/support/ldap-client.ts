// A promise-shaped LDAP client for tests, on ldapjs's client (a real LDAP
// client over a real socket). Errors keep ldapjs's result code in `code`.

import ldap from 'ldapjs';
import { rawExchange } from './raw-socket';

export interface LdapFailure extends Error {
  code: number;
  lde_message?: string;
}

export interface FoundEntry {
  dn: string;
  attrs: Record<string, string[]>;
}

interface RawClient {
  bind(dn: string, pw: string, cb: (err: LdapFailure | null) => void): void;
  search(base: string, opts: Record<string, unknown>, controls: unknown[], cb: (err: LdapFailure | null, res: NodeJS.EventEmitter) => void): void;
  add(dn: string, entry: Record<string, string | string[]>, cb: (err: LdapFailure | null) => void): void;
  modify(dn: string, changes: unknown[], cb: (err: LdapFailure | null) => void): void;
  del(dn: string, cb: (err: LdapFailure | null) => void): void;
  modifyDN(dn: string, newDn: string, cb: (err: LdapFailure | null) => void): void;
  compare(dn: string, attr: string, value: string, cb: (err: LdapFailure | null, matched?: boolean) => void): void;
  exop(oid: string, value: string | undefined, cb: (err: LdapFailure | null, value?: string) => void): void;
  unbind(cb?: () => void): void;
  destroy(): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
}

const lib = ldap as unknown as {
  createClient(options: Record<string, unknown>): RawClient;
  Change: new (options: { operation: string; modification: unknown }) => unknown;
  Attribute: new (options: { type: string; values: string[] }) => unknown;
  PagedResultsControl: new (options: { value: { size: number } }) => unknown;
  BindRequest: new (o: Record<string, unknown>) => { toBer(): { buffer: Buffer } };
  Parser: new () => { on(e: 'message', f: (m: { pojo: Record<string, unknown>; messageId: number }) => void): void; write(b: Buffer): void };
};

/**
 * Simple binds as `dn` with each password, pipelined in one write on one connection (a guesser that does not
 * wait for answers), from `localAddress` (a loopback address of its own: per-address throttling counts apart);
 * the answers in order, decoded by ldapjs.
 */
export async function pipelinedBinds(address: string, dn: string, passwords: string[], localAddress = '127.0.0.1'): Promise<Array<{ id: number; code: number; message: string }>> {
  const binds = passwords.map((password, i) => new lib.BindRequest({ messageId: i + 1, name: dn, credentials: password }).toBer().buffer);
  const decode = (bytes: Buffer): Array<{ id: number; code: number; message: string }> => {
    const answers: Array<{ id: number; code: number; message: string }> = [];
    const parser = new lib.Parser();
    parser.on('message', (m) => answers.push({ id: m.messageId, code: Number(m.pojo['status']), message: String(m.pojo['diagnosticMessage']) }));
    parser.write(bytes);
    return answers;
  };
  const { bytes } = await rawExchange(address, Buffer.concat(binds), false, 5000, localAddress, (sofar) => decode(sofar).length >= passwords.length);
  return decode(bytes);
}

export class LdapClient {
  private readonly client: RawClient;

  /** With `ca` (PEM), LDAPS: TLS from the first byte, the server's certificate checked against it. */
  constructor(address: string, ca?: string) {
    this.client = lib.createClient({ url: `${ca ? 'ldaps' : 'ldap'}://${address}`, timeout: 10_000, connectTimeout: 5_000, reconnect: false, ...(ca ? { tlsOptions: { ca: [ca] } } : {}) });
    this.client.on('error', () => undefined);
  }

  static async bound(address: string, dn: string, password: string, ca?: string): Promise<LdapClient> {
    const client = new LdapClient(address, ca);
    try {
      await client.bind(dn, password);
      return client;
    } catch (err) {
      client.close();
      throw err;
    }
  }

  private run<T>(work: (cb: (err: LdapFailure | null, value?: T) => void) => void): Promise<T> {
    // The server's diagnostic message goes into the error, so a failing test says why the server refused.
    const withDiagnostic = (err: LdapFailure): LdapFailure => {
      const diagnostic = (err as LdapFailure & { lde_message?: string }).lde_message;
      if (diagnostic && !err.message.includes(diagnostic)) err.message = `${err.message}: ${diagnostic}`;
      return err;
    };
    return new Promise((resolve, reject) => work((err, value) => (err ? reject(withDiagnostic(err)) : resolve(value as T))));
  }

  bind(dn: string, password: string): Promise<void> {
    return this.run((cb) => this.client.bind(dn, password, cb));
  }

  /** `betweenPages` (with `paged`): runs after each page before the next is asked for. */
  search(base: string, options: { scope?: 'base' | 'one' | 'sub'; filter?: string; attributes?: string[]; sizeLimit?: number; paged?: number; betweenPages?: (page: number) => Promise<void> } = {}): Promise<FoundEntry[]> {
    const { paged, betweenPages, ...rest } = options;
    const opts = { scope: 'sub', filter: '(objectClass=*)', ...rest, ...(paged ? { paged: { pageSize: paged, pagePause: betweenPages !== undefined } } : {}) };
    return new Promise((resolve, reject) => {
      this.client.search(base, opts, [], (err, res) => {
        if (err) return reject(err);
        const found: FoundEntry[] = [];
        let pages = 0;
        res.on('page', (_result: unknown, next?: () => void) => {
          if (next && betweenPages) betweenPages(++pages).then(() => next(), reject);
        });
        res.on('searchEntry', (entry: { pojo: { objectName: string; attributes: Array<{ type: string; values: string[] }> } }) => {
          found.push({ dn: entry.pojo.objectName, attrs: Object.fromEntries(entry.pojo.attributes.map((a) => [a.type, a.values])) });
        });
        res.on('error', reject);
        res.on('end', (result: { status: number; errorMessage?: string } | null) => {
          if (result && result.status !== 0) reject(Object.assign(new Error(result.errorMessage ?? `LDAP ${result.status}`), { code: result.status }));
          else resolve(found);
        });
      });
    });
  }

  add(dn: string, entry: Record<string, string | string[]>): Promise<void> {
    return this.run((cb) => this.client.add(dn, entry, cb));
  }

  modify(dn: string, operation: 'add' | 'delete' | 'replace', type: string, values: string[]): Promise<void> {
    const change = new lib.Change({ operation, modification: new lib.Attribute({ type, values }) });
    return this.run((cb) => this.client.modify(dn, [change], cb));
  }

  del(dn: string): Promise<void> {
    return this.run((cb) => this.client.del(dn, cb));
  }

  modifyDn(dn: string, newDn: string): Promise<void> {
    return this.run((cb) => this.client.modifyDN(dn, newDn, cb));
  }

  compare(dn: string, attr: string, value: string): Promise<boolean> {
    return this.run<boolean>((cb) => this.client.compare(dn, attr, value, cb));
  }

  whoAmI(): Promise<string> {
    return this.run<string>((cb) => this.client.exop('1.3.6.1.4.1.4203.1.11.3', undefined, cb));
  }

  close(): void {
    this.client.destroy();
  }
}

/** The LDAP result code of a rejected call. */
export async function ldapCode(work: Promise<unknown>): Promise<number> {
  try {
    await work;
    return 0;
  } catch (err) {
    return (err as LdapFailure).code;
  }
}

/** The demo directory's base and accounts (as `strata up` loads them). */
export const BASE = 'dc=edge,dc=example';
export const ADMIN = `cn=admin,${BASE}`;
export const ALICE = `uid=alice,ou=people,${BASE}`;
export const BOB = `uid=bob,ou=people,${BASE}`;
export const SENSOR = `cn=sensor-1,ou=devices,ou=berlin,ou=sites,${BASE}`;

/** Bound clients by node, closed together at the end of each test. */
export class LdapClients {
  private readonly open: LdapClient[] = [];

  constructor(private readonly addressOf: (node: string) => string) {}

  async as(node: string, dn: string, password: string): Promise<LdapClient> {
    const client = await LdapClient.bound(this.addressOf(node), dn, password);
    this.open.push(client);
    return client;
  }

  /** A client that has not bound (anonymous). */
  anonymous(node: string): LdapClient {
    const client = new LdapClient(this.addressOf(node));
    this.open.push(client);
    return client;
  }

  /** Keep `client` to close with the rest. */
  keep(client: LdapClient): LdapClient {
    this.open.push(client);
    return client;
  }

  closeAll(): void {
    for (const c of this.open.splice(0)) c.close();
  }
}
