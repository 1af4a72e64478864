// Search (RFC 4511 §4.5): base, one-level and subtree scopes over the
// subtrees held here; every filter kind; attribute selection with '*', '+'
// and '1.1'; size and time limits; paged results (RFC 2696). The root DSE
// (base '' , scope base) is readable by anyone. Entries the caller may not
// read are skipped as if absent; userPassword is shown to the admin only.

import { ANONYMOUS_REFUSED, type DirectoryContext, type Session } from './context';
import { locate } from './target';
import { dnKey, dnOfKey, normalizeDn } from '../data/dn';
import { isEntryKey } from '../security/credentials';
import { valuesOf, type DirEntry } from '../data/entry';
import { filterAttributes, filterText, matches, type AttributeView, type Filter } from '../data/filter';
import { fail, RC, SUCCESS, type Outcome } from '../protocol/result-code';
import type { Scope } from '../data/tree';

export const OID_PAGED_RESULTS = '1.2.840.113556.1.4.319';
export const OID_WHO_AM_I = '1.3.6.1.4.1.4203.1.11.3';
export const OID_PASSWORD_MODIFY = '1.3.6.1.4.1.4203.1.11.1';

export interface SearchRequest {
  base: string;
  scope: Scope;
  filter: Filter;
  attributes: string[];
  typesOnly: boolean;
  sizeLimit: number;
  timeLimitS: number;
  paged?: { size: number; cookie: Buffer };
}

export interface FoundEntry {
  dn: string;
  attrs: Record<string, string[]>;
}

export interface SearchResult {
  outcome: Outcome;
  /** Set when the request was paged: the cookie for the next page (empty at the end). */
  pagedCookie?: Buffer;
}

export function search(ctx: DirectoryContext, session: Session, request: SearchRequest, send: (entry: FoundEntry) => void): SearchResult {
  if (request.base === '' && request.scope === 'base') {
    const dse = rootDse(ctx);
    if (matches(request.filter, (a) => valuesOf(dse, a))) send(select(dse, selectionOf(request), () => [], true));
    return { outcome: SUCCESS };
  }
  if (session.identity.kind === 'anonymous') return { outcome: ANONYMOUS_REFUSED };
  const located = locate(ctx, request.base);
  if (!located.ok) return { outcome: located.outcome };
  if (!ctx.tree.get(located.norm) || !ctx.access.canRead(session.identity, located.norm)) {
    return { outcome: fail(RC.noSuchObject, `no entry ${request.base} at ${ctx.ports.nodeName}`, ctx.tree.matchedDn(located.norm)) };
  }
  const secrets = ctx.access.canSeeSecrets(session.identity);
  const startMs = ctx.clock.nowMs();
  const admin = session.identity.kind === 'admin';
  const limits = [request.sizeLimit, request.paged ? 0 : admin ? 0 : ctx.limits.sizeLimit].filter((n) => n > 0);
  const sizeLimit = limits.length > 0 ? Math.min(...limits) : Infinity;
  const timeLimitS = Math.min(...[request.timeLimitS, admin ? 0 : ctx.limits.timeLimitS].map((s) => (s > 0 ? s : Infinity)));
  // A paged search's cookie is the key of the last entry sent: the next page resumes after it, whatever was added or deleted meanwhile.
  const after = request.paged && request.paged.cookie.length > 0 ? request.paged.cookie.toString('utf8') : undefined;
  // A page is no larger than the size limit, so paging does not lift it for big pages.
  const pageSize = request.paged ? Math.min(request.paged.size, admin || ctx.limits.sizeLimit === 0 ? Infinity : ctx.limits.sizeLimit) : Infinity;
  if (after !== undefined && !isEntryKey(after)) return { outcome: fail(RC.unwillingToPerform, 'paged results: the cookie is not one this server gave out') };

  let sent = 0;
  let lastKey = '';
  const unindexed = (subtree: string): void => ctx.logger?.debug({ base: request.base, subtree, filter: filterText(request.filter) }, 'search filter not indexed: scanned every entry of the subtree (add the attribute to directory.indexes)');
  // Hashes are read only when the caller may see them and the answer or the filter involves them.
  const selection = selectionOf(request);
  const hashes = secrets && (selection.allUser || selection.wanted.has('userpassword') || filterAttributes(request.filter).includes('userpassword'));
  for (const { key, entry } of ctx.tree.search(located.norm, request.scope, { filter: request.filter, after, unindexed, secrets: hashes })) {
    if (!admin && !ctx.access.canRead(session.identity, dnOfKey(key))) continue; // the admin reads everything: no DN to work out
    const view = attributeView(ctx, entry, secrets, key);
    if (!matches(request.filter, view)) continue;
    if (sent >= pageSize) return { outcome: SUCCESS, pagedCookie: Buffer.from(lastKey, 'utf8') };
    if (sent >= sizeLimit) return { outcome: fail(RC.sizeLimitExceeded, `size limit of ${sizeLimit} entries reached`), pagedCookie: request.paged ? Buffer.alloc(0) : undefined };
    if (timeLimitS !== Infinity && (ctx.clock.nowMs() - startMs) / 1000 > timeLimitS) return { outcome: fail(RC.timeLimitExceeded, `time limit of ${timeLimitS} s reached`) };
    send(select(entry, selection, view, secrets));
    sent++;
    lastKey = key;
  }
  return request.paged ? { outcome: SUCCESS, pagedCookie: Buffer.alloc(0) } : { outcome: SUCCESS };
}

/** Values as a filter and the caller see them: computed attributes included, internal and secret ones hidden. */
/** `key`: the entry's store key, when the caller has it (saves working it out from the DN). */
export function attributeView(ctx: DirectoryContext, entry: DirEntry, secrets: boolean, key?: string): AttributeView {
  const view: AttributeView = (attr) => {
    const lower = attr.toLowerCase();
    if (lower.startsWith('_')) return [];
    if (lower === 'memberof') return ctx.tree.memberOf(entry.dn);
    if (lower === 'entrydn') return [entry.dn];
    if (lower === 'hassubordinates') return [ctx.tree.hasChildren(entry.dn) ? 'TRUE' : 'FALSE'];
    if (lower === 'userpassword' && !secrets) return [];
    return valuesOf(entry, lower);
  };
  view.isMemberOf = (group) => {
    try {
      return ctx.tree.isMember(key ?? dnKey(normalizeDn(entry.dn)), group);
    } catch {
      return false; // an entry whose DN does not parse is nobody's member
    }
  };
  return view;
}

const OPERATIONAL_SHOWN = ['memberOf', 'entryDN', 'hasSubordinates'];

/** What a search asks to see of each entry, worked out once per search. */
interface Selection {
  readonly typesOnly: boolean;
  /** '1.1' alone: the DN, no attributes. */
  readonly noneAsked: boolean;
  /** No list, or '*': every user attribute. */
  readonly allUser: boolean;
  /** The names asked for, lower-case. */
  readonly wanted: ReadonlySet<string>;
  /** The operational attributes asked for (by name or with '+'). */
  readonly operational: readonly string[];
}

function selectionOf(request: SearchRequest): Selection {
  const wanted = new Set(request.attributes.map((a) => a.toLowerCase()));
  return {
    typesOnly: request.typesOnly,
    noneAsked: wanted.size === 1 && wanted.has('1.1'),
    allUser: wanted.size === 0 || wanted.has('*'),
    wanted,
    operational: OPERATIONAL_SHOWN.filter((name) => wanted.has('+') || wanted.has(name.toLowerCase())),
  };
}

function select(entry: DirEntry, selection: Selection, view: AttributeView, secrets: boolean): FoundEntry {
  const attrs: Record<string, string[]> = {};
  if (selection.noneAsked) return { dn: entry.dn, attrs };
  const add = (name: string, values: readonly string[]): void => {
    if (values.length > 0) attrs[name] = selection.typesOnly ? [] : [...values];
  };
  for (const [name, values] of Object.entries(entry.attrs)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('_') || (lower === 'userpassword' && !secrets)) continue;
    if (selection.allUser || selection.wanted.has(lower)) add(name, values);
  }
  for (const name of selection.operational) add(name, view(name));
  return { dn: entry.dn, attrs };
}

function rootDse(ctx: DirectoryContext): DirEntry {
  const base = ctx.tree.baseDn();
  const attrs: Record<string, string[]> = {
    objectClass: ['top'],
    supportedLDAPVersion: ['3'],
    supportedExtension: [OID_WHO_AM_I, OID_PASSWORD_MODIFY],
    supportedControl: [OID_PAGED_RESULTS],
    supportedSASLMechanisms: [],
    vendorName: ['Strata'],
  };
  if (base !== undefined) attrs['namingContexts'] = [ctx.tree.get(base)?.dn ?? base];
  return { dn: '', attrs: Object.fromEntries(Object.entries(attrs).filter(([, v]) => v.length > 0)) };
}

