// The only file that imports ldapjs (STYLE: ldapjs is unmaintained upstream;
// replacing it must touch one file). It turns ldapjs requests into the plain
// requests of the operation files, and their outcomes into LDAP responses:
// result code, diagnostic message, matchedDN, referrals, paged-results
// control. Every request handler is mounted at the empty DN, so routing by
// subtree is ours, not ldapjs's.

import type { AddressInfo, Socket } from 'node:net';
import ldap from 'ldapjs';
import { ListenError } from '../../kernel/errors';
import { add } from '../operations/add';
import { checkLdapMessage } from './ber-check';
import { ResponseBatch } from './response-batch';
import { addRequestSpelling, BerFramer, bindRequestOf, bindResponse, MAX_MESSAGE_BYTES, noticeOfDisconnection, searchDone, searchScopeOf } from './ber-frames';
import { BIND_RESPONSE, fastRequestOf, ldapResult, SEARCH_DONE, type FastBind, type FastSearch } from './ber-requests';
import { bind } from '../operations/bind';
import { compare } from '../operations/compare';
import { ANONYMOUS } from '../security/access';
import type { DirectoryContext, Session } from '../operations/context';
import { del } from '../operations/delete';
import { passwordModify, whoAmI } from '../operations/extended';
import type { Filter } from '../data/filter';
import { modify, type ChangeKind } from '../operations/modify';
import { modifyDn } from '../operations/modrdn';
import { fail, outcomeOf, RC, type Outcome } from './result-code';
import { OID_PAGED_RESULTS, OID_PASSWORD_MODIFY, OID_WHO_AM_I, search } from '../operations/search';
import type { Scope } from '../data/tree';

// ldapjs ships no types; these are the shapes this file relies on.
interface LdapAttribute { type: string; values: Array<string | Buffer> }
interface LdapControl { type: string; criticality: boolean; value?: { size?: number; cookie?: Buffer } }
interface LdapConnection extends Socket { ldap?: unknown }
interface LdapRequest {
  connection: LdapConnection;
  dn: { toString(): string };
  controls?: LdapControl[];
  [field: string]: unknown;
}
interface LdapResponse {
  status: number;
  diagnosticMessage: string;
  matchedDN: string;
  addReferral(url: string): void;
  addControl?(control: unknown): void;
  controls?: unknown[];
  responseValue?: string;
  responseName?: string;
  _writeResponse?: (ber: { writeBuffer(buf: Buffer, tag: number): void }) => void;
  send(entry: unknown, noFiltering?: boolean): void;
  createSearchEntry(object: { objectName: string; attributes: unknown[] }): unknown;
  end(status?: number): void;
}
type Next = (err?: unknown) => void;
type Handler = (req: LdapRequest, res: LdapResponse, next: Next) => void;

interface LdapServer {
  bind(dn: string, handler: Handler): void;
  add(dn: string, handler: Handler): void;
  search(dn: string, handler: Handler): void;
  modify(dn: string, handler: Handler): void;
  del(dn: string, handler: Handler): void;
  compare(dn: string, handler: Handler): void;
  modifyDN(dn: string, handler: Handler): void;
  exop(oid: string, handler: Handler): void;
  listen(port: number, host: string, cb: () => void): void;
  close(cb?: () => void): void;
  address(): AddressInfo;
  on(event: string, listener: (...args: unknown[]) => void): void;
  server: { on(event: string, listener: (...args: unknown[]) => void): void; once(event: string, listener: (...args: unknown[]) => void): void };
}

const ldapjs = ldap as unknown as {
  createServer(options: Record<string, unknown>): LdapServer;
  Attribute: new (options: { type: string; values: string[] }) => unknown;
  PagedResultsControl: new (options: { value: { size: number; cookie: Buffer } }) => unknown;
};

export interface LdapListenerEvents {
  /** An operation finished (for metrics): its name and result code (`count`: that many, reported by a worker). */
  operation(name: string, code: number, count?: number): void;
  /** A client sent something ldapjs could not parse (`count`: that many, reported by a worker). */
  malformed(err: unknown, count?: number): void;
}

const IDLE_TIMEOUT_MS = 15 * 60 * 1000;
const MAX_CONNECTIONS = 4096;

function listenError(err: NodeJS.ErrnoException, what: string, host: string, port: number): ListenError {
  const why = err.code === 'EADDRINUSE' ? 'address already in use; is another LDAP server or Strata node running? Choose another port'
    : err.code === 'EACCES' ? 'permission denied; ports below 1024 need privileges (or choose a port above 1023)'
      : err.code === 'EADDRNOTAVAIL' ? 'address not available on this host' : err.message;
  return new ListenError(`cannot listen for LDAP on ${host}:${port} (${what}): ${why}`, { cause: err });
}

/** Operations that write (forwarded to the owner as the bound principal). */
const WRITING = new Set(['add', 'modify', 'delete', 'modrdn', 'passwd']);
const SUPPORTED_CONTROLS = new Set([OID_PAGED_RESULTS, '2.16.840.1.113730.3.4.2' /* ManageDsaIT: no referral objects stored, so it changes nothing */]);

export class LdapListener {
  private readonly server: LdapServer;
  private readonly sessions = new WeakMap<Socket, Session>();
  private readonly sockets = new Set<Socket>();
  /** Per connection: IDs of searches asked with scope children (3), which ldapjs was shown as subtree. */
  private readonly childrenScoped = new WeakMap<Socket, Set<number>>();
  /** Per connection: how pending adds spelled their attribute types and objectClass values (ldapjs lower-cases them). */
  private readonly addSpelling = new WeakMap<Socket, Map<number, AddSpelling>>();

  /** With `tls`, an LDAPS listener (TLS from the first byte, RFC 4513 §3.1.3's ldaps://). */
  constructor(private readonly ctx: DirectoryContext, private readonly events: LdapListenerEvents, private readonly options: { maxMessageBytes?: number } = {}, tls?: { key: string; cert: string }) {
    this.server = ldapjs.createServer({ connectionRouter: (socket: Socket) => this.accept(socket), ...(tls ? { key: tls.key, certificate: tls.cert } : {}) });
    this.server.on('clientError', () => undefined);
    (this.server as unknown as { maxConnections: number }).maxConnections = MAX_CONNECTIONS;
    this.server.on('error', (err) => events.malformed(err));
    this.server.server.on('connection', (socket) => {
      const s = socket as Socket;
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.mount();
  }

  /**
   * ldapjs's own connection setup, then its 'data' handler replaced: bytes
   * reach its parser only as whole messages whose every nested length was
   * checked (ber-frames.ts, ber-check.ts), and anything malformed gets a
   * Notice of Disconnection (protocolError) and a closed connection, not a
   * node that parses it.
   */
  private accept(socket: Socket): void {
    (this.server as unknown as { newConnection(s: Socket): void }).newConnection(socket);
    // Idle clients are let go (OpenLDAP's idletimeout), so abandoned connections do not pile up.
    socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy());
    // A search answers in several small writes (entries, then done): with Nagle on, the last waited for the
    // client's delayed ACK, ~40 ms per search.
    socket.setNoDelay(true);
    const parser = (socket as Socket & { parser: { write(b: Buffer): void } }).parser;
    socket.removeAllListeners('data');
    const framer = new BerFramer(this.options.maxMessageBytes ?? MAX_MESSAGE_BYTES);
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const message of framer.push(chunk)) {
          checkLdapMessage(message);
          this.deliver(socket, message, parser);
        }
      } catch (err) {
        this.events.malformed(err);
        socket.removeAllListeners('data');
        socket.end(noticeOfDisconnection(RC.protocolError, `malformed LDAP message: ${(err as Error).message}; closing the connection`));
        socket.destroySoon?.();
      }
    });
  }

  /**
   * One checked message: simple binds and searches without controls are served
   * here (ber-requests.ts), the rest goes to ldapjs; a bind first makes the
   * connection anonymous (RFC 4511 §4.2.1), SASL binds are answered here.
   */
  private deliver(socket: Socket, message: Buffer, parser: { write(b: Buffer): void }): void {
    const fast = fastRequestOf(message);
    if (fast) return this.serveFast(socket, fast);
    const search = searchScopeOf(message);
    if (search && search.scope > SCOPE_CHILDREN) {
      this.events.operation('search', RC.protocolError);
      socket.write(searchDone(search.messageId, RC.protocolError, `search scope ${search.scope} is not one of base (0), one (1), sub (2) or children (3)`));
      return;
    }
    if (search?.scope === SCOPE_CHILDREN) {
      // ldapjs knows scopes 0–2 only: it sees a subtree search, and the handler narrows it to the children.
      message[search.at] = 2;
      const ids = this.childrenScoped.get(socket) ?? new Set<number>();
      this.childrenScoped.set(socket, ids.add(search.messageId));
    }
    const spelling = addRequestSpelling(message);
    if (spelling) {
      const pending = this.addSpelling.get(socket) ?? new Map<number, AddSpelling>();
      this.addSpelling.set(socket, pending.set(spelling.messageId, spelling.attributes));
    }
    const bindRequest = bindRequestOf(message);
    if (bindRequest) {
      const session = this.sessions.get(socket as LdapConnection);
      if (session) {
        session.identity = ANONYMOUS; // ldapjs answers an anonymous bind itself, without our handler
        session.ticket = undefined;
      }
    }
    if (!bindRequest?.sasl) {
      parser.write(message);
      return;
    }
    this.events.operation('bind', RC.authMethodNotSupported);
    socket.write(bindResponse(bindRequest.messageId, RC.authMethodNotSupported, 'only simple bind is supported (no SASL); use -x with ldap-utils'));
  }

  /** `what` names the listener in errors (e.g. `listen.ldap`). */
  listen(host: string, port: number, what: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.server.once('error', (err: unknown) => reject(listenError(err as NodeJS.ErrnoException, what, host, port)));
      this.server.listen(port, host, () => resolve(this.server.address().port));
    });
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private session(socket: Socket): Session {
    let session = this.sessions.get(socket);
    if (!session) {
      session = { identity: ANONYMOUS, address: socket.remoteAddress ?? '' };
      this.sessions.set(socket, session);
    }
    return session;
  }

  /**
   * Runs one operation as the session's principal (writes it forwards carry
   * who it is made as, for the owner to authorise); throws become outcomes,
   * and every outcome is counted.
   */
  private perform(name: string, session: Session, run: () => Promise<Outcome> | Outcome): Promise<Outcome> {
    // Reads (binds, searches, compares, WhoAmI) forward no write: no principal to carry, and no async context to set up per request.
    const principal = session.identity.kind === 'anonymous' || !WRITING.has(name) ? undefined : { dn: session.identity.dn, ticket: session.ticket };
    return Promise.resolve()
      .then(() => this.ctx.ports.asPrincipal(principal, run))
      .catch(outcomeOf)
      .then((outcome) => {
        this.events.operation(name, outcome.code);
        return outcome;
      });
  }

  /** A simple bind or a search without controls, answered without ldapjs (its result encoded by ber-requests.ts). */
  private serveFast(socket: Socket, request: FastBind | FastSearch): void {
    const session = this.session(socket);
    if (request.kind === 'bind') {
      session.identity = ANONYMOUS;
      session.ticket = undefined;
      void this.perform('bind', session, () => this.bind(session, request.dn, request.password)).then((outcome) => socket.write(ldapResult(request.messageId, BIND_RESPONSE, outcome)));
      return;
    }
    const { messageId, ...fields } = request;
    const batch = new ResponseBatch(socket);
    void this.perform('search', session, () => search(this.ctx, session, { ...fields, paged: undefined }, (found) => batch.entry(messageId, found.dn, found.attrs)).outcome)
      .then((outcome) => batch.end(ldapResult(messageId, SEARCH_DONE, outcome)));
  }

  private async bind(session: Session, dn: string, password: string): Promise<Outcome> {
    const result = await bind(this.ctx, session, { dn, password, simple: true /* SASL binds never reach here */ });
    session.identity = result.identity;
    session.ticket = result.ticket;
    return result.outcome;
  }

  /** Runs one operation from ldapjs: refuses unknown critical controls, maps throws, sends the result. */
  private handle(name: string, run: (req: LdapRequest, res: LdapResponse, session: Session) => Promise<Outcome> | Outcome): Handler {
    return (req, res, next) => {
      const critical = (req.controls ?? []).find((c) => c.criticality && !SUPPORTED_CONTROLS.has(c.type));
      const socket = req.connection as unknown as Socket;
      const session = this.session(socket);
      // One write for the whole answer (a search's entries and its done): uncorked once it has ended.
      socket.cork();
      const work = critical ? Promise.resolve(fail(RC.unavailableCriticalExtension, `control ${critical.type} is not supported`)) : this.perform(name, session, () => run(req, res, session));
      work.then((outcome) => {
        if (critical) this.events.operation(name, outcome.code);
        res.diagnosticMessage = outcome.message ?? '';
        if (outcome.matchedDn !== undefined) res.matchedDN = outcome.matchedDn;
        for (const url of outcome.referrals ?? []) res.addReferral(url);
        res.end(outcome.code);
        socket.uncork();
        next();
      }, (err: unknown) => {
        socket.uncork();
        next(err);
      });
    };
  }

  private mount(): void {
    const s = this.server;
    s.bind('', this.handle('bind', (req, _res, session) => this.bind(session, req.dn.toString(), String(req['credentials'] ?? ''))));
    s.search('', this.handle('search', (req, res, session) => {
      const batch = new ResponseBatch(req.connection as unknown as Socket);
      const paged = (req.controls ?? []).find((c) => c.type === OID_PAGED_RESULTS);
      const result = search(this.ctx, session, {
        base: (req['baseObject'] as { toString(): string }).toString(),
        scope: this.childrenScoped.get(req.connection as unknown as Socket)?.delete(Number(req['messageId'])) ? 'children' : SCOPES[String(req['scopeName'])] ?? 'sub',
        filter: toFilter(req['filter']),
        attributes: (req['attributes'] as string[] | undefined) ?? [],
        typesOnly: Boolean(req['typesOnly']),
        sizeLimit: Number(req['sizeLimit'] ?? 0),
        timeLimitS: Number(req['timeLimit'] ?? 0),
        paged: paged ? { size: paged.value?.size ?? 0, cookie: paged.value?.cookie ?? Buffer.alloc(0) } : undefined,
      }, (found) => batch.entry(Number(req['messageId']), found.dn, found.attrs));
      batch.flush(); // the done follows from ldapjs (res.end), in the same corked write
      if (result.pagedCookie) res.addControl?.(new ldapjs.PagedResultsControl({ value: { size: 0, cookie: result.pagedCookie } }));
      return result.outcome;
    }));
    s.add('', this.handle('add', (req, _res, session) => {
      const pending = this.addSpelling.get(req.connection as unknown as Socket);
      const spelling = pending?.get(Number(req['messageId']));
      pending?.delete(Number(req['messageId']));
      const attrs: Record<string, string[]> = {};
      (req['attributes'] as LdapAttribute[]).forEach((a, i) => {
        const written = spelling?.[i]?.type.toLowerCase() === a.type.toLowerCase() ? spelling[i]! : undefined;
        const type = Object.keys(attrs).find((k) => k.toLowerCase() === a.type.toLowerCase()) ?? written?.type ?? a.type;
        const values = written && written.objectClasses.length === a.values.length ? written.objectClasses : a.values.map(String);
        attrs[type] = [...(attrs[type] ?? []), ...values];
      });
      return add(this.ctx, session, { dn: String(req['entry']), attrs });
    }));
    s.modify('', this.handle('modify', (req, _res, session) => {
      const changes = (req['changes'] as Array<{ operation: ChangeKind; modification: LdapAttribute }>).map((c) => ({ kind: c.operation, attr: c.modification.type, values: c.modification.values.map(String) }));
      return modify(this.ctx, session, String(req['object']), changes);
    }));
    s.del('', this.handle('delete', (req, _res, session) => del(this.ctx, session, String(req['entry']))));
    s.compare('', this.handle('compare', (req, _res, session) => compare(this.ctx, session, { dn: String(req['entry']), attr: String(req['attribute']), value: String(req['value']) })));
    s.modifyDN('', this.handle('modrdn', (req, _res, session) => modifyDn(this.ctx, session, {
      dn: String(req['entry']),
      newRdn: String(req['newRdn']),
      deleteOldRdn: Boolean(req['deleteOldRdn']),
      newSuperior: req['newSuperior'] ? String(req['newSuperior']) : undefined,
    })));
    s.exop(OID_WHO_AM_I, this.handle('whoami', (_req, res, session) => {
      const result = whoAmI(session);
      res.responseName = undefined;
      res.responseValue = result.authzId;
      return result.outcome;
    }));
    s.exop(OID_PASSWORD_MODIFY, this.handle('passwd', async (req, res, session) => {
      const value = (req['requestValue'] ?? {}) as { userIdentity?: string; oldPassword?: string; newPassword?: string };
      const result = await passwordModify(this.ctx, session, value);
      res.responseName = undefined;
      if (result.generated) {
        const pw = Buffer.from(result.generated, 'utf8');
        const inner = Buffer.concat([Buffer.from([0x80, pw.length]), pw]);
        const value = Buffer.concat([Buffer.from([0x30, inner.length]), inner]);
        res._writeResponse = (ber) => ber.writeBuffer(value, 0x8b);
      }
      return result.outcome;
    }));
  }
}

const SCOPES: Record<string, Scope> = { base: 'base', single: 'one', subtree: 'sub' };
const SCOPE_CHILDREN = 3;
type AddSpelling = Array<{ type: string; objectClasses: string[] }>;

/** ldapjs filter objects → our AST (filter.ts). */
function toFilter(raw: unknown): Filter {
  const f = raw as { type: string; attribute?: string; value?: unknown; clauses?: unknown[]; filter?: unknown; subInitial?: string; subAny?: string[]; subFinal?: string; matchingRule?: string; matchType?: string; dnAttributes?: boolean };
  const value = (): string => (Buffer.isBuffer(f.value) ? f.value.toString('utf8') : String(f.value ?? ''));
  switch (f.type) {
    case 'AndFilter':
      return { kind: 'and', filters: (f.clauses ?? []).map(toFilter) };
    case 'OrFilter':
      return { kind: 'or', filters: (f.clauses ?? []).map(toFilter) };
    case 'NotFilter':
      return { kind: 'not', filter: toFilter(f.filter) };
    case 'EqualityFilter':
      return { kind: 'equal', attr: f.attribute!, value: value() };
    case 'GreaterThanEqualsFilter':
      return { kind: 'ge', attr: f.attribute!, value: value() };
    case 'LessThanEqualsFilter':
      return { kind: 'le', attr: f.attribute!, value: value() };
    case 'ApproximateFilter':
      return { kind: 'approx', attr: f.attribute!, value: value() };
    case 'PresenceFilter':
      return { kind: 'present', attr: f.attribute! };
    case 'SubstringFilter':
      return { kind: 'substrings', attr: f.attribute!, initial: f.subInitial || undefined, any: f.subAny ?? [], final: f.subFinal || undefined };
    case 'ExtensibleFilter':
      return { kind: 'extensible', attr: f.matchType || undefined, rule: f.matchingRule || undefined, value: value(), dnAttributes: Boolean(f.dnAttributes) };
    default:
      return { kind: 'not', filter: { kind: 'present', attr: 'objectClass' } }; // unknown filter kinds match nothing
  }
}
