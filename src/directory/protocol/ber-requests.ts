// The two requests a directory serves most — a simple bind and a search
// without controls — decoded here straight from the checked BER (RFC 4511
// §4.2, §4.5.1), and their results encoded here, so the common login (search
// for the uid, bind as the entry found) never goes through ldapjs: its
// parser built a DN object per request and a response object per result,
// the largest share of a bind's time after the socket write. Anything else
// (controls, SASL, other versions, other operations) is left to ldapjs:
// these functions return undefined and change nothing.

import type { Filter } from '../data/filter';
import type { Scope } from '../data/tree';
import type { Outcome } from './result-code';

interface Element {
  tag: number;
  start: number;
  end: number;
}

/** One element at `at` inside [.., limit), or undefined if it does not fit (the message was checked: this is belt and braces). */
function element(buf: Buffer, at: number, limit: number): Element | undefined {
  if (at + 2 > limit) return undefined;
  const tag = buf[at]!;
  const first = buf[at + 1]!;
  let start = at + 2;
  let length = first;
  if (first >= 0x80) {
    const octets = first & 0x7f;
    if (octets === 0 || octets > 4 || start + octets > limit) return undefined;
    length = buf.readUIntBE(start, octets);
    start += octets;
  }
  return start + length > limit ? undefined : { tag, start, end: start + length };
}

function children(buf: Buffer, parent: Element): Element[] | undefined {
  const found: Element[] = [];
  for (let at = parent.start; at < parent.end;) {
    const child = element(buf, at, parent.end);
    if (!child) return undefined;
    found.push(child);
    at = child.end;
  }
  return found;
}

/** A non-negative INTEGER or ENUMERATED of at most 5 octets (undefined otherwise). */
function unsigned(buf: Buffer, e: Element): number | undefined {
  const length = e.end - e.start;
  if (length < 1 || length > 5 || (buf[e.start]! & 0x80) !== 0) return undefined;
  let n = 0;
  for (let i = e.start; i < e.end; i++) n = n * 256 + buf[i]!;
  return n;
}

const text = (buf: Buffer, e: Element): string => buf.toString('utf8', e.start, e.end);

export interface FastBind {
  kind: 'bind';
  messageId: number;
  dn: string;
  password: string;
}

export interface FastSearch {
  kind: 'search';
  messageId: number;
  base: string;
  scope: Scope;
  sizeLimit: number;
  timeLimitS: number;
  typesOnly: boolean;
  filter: Filter;
  attributes: string[];
}

/** RFC 4511 §4.1.1: MessageID ::= INTEGER (0 .. maxInt), maxInt 2^31 − 1. */
const MAX_MESSAGE_ID = 0x7fffffff;

const SCOPES: readonly Scope[] = ['base', 'one', 'sub', 'children'];

/**
 * A simple LDAPv3 bind or a search (scopes 0–3) carrying no controls, decoded;
 * undefined for anything else, which then takes the general path.
 */
export function fastRequestOf(message: Buffer): FastBind | FastSearch | undefined {
  const outer = element(message, 0, message.length);
  const parts = outer && children(message, outer);
  if (!parts || parts.length !== 2) return undefined; // a third part is controls
  const [id, op] = parts as [Element, Element];
  if (id.tag !== 0x02) return undefined;
  const messageId = unsigned(message, id);
  if (messageId === undefined || messageId > MAX_MESSAGE_ID) return undefined; // beyond RFC 4511's maxInt: ldapjs's path decides
  if (op.tag === 0x60) return bindOf(message, op, messageId);
  if (op.tag === 0x63) return searchOf(message, op, messageId);
  return undefined;
}

function bindOf(buf: Buffer, op: Element, messageId: number): FastBind | undefined {
  const fields = children(buf, op);
  if (!fields || fields.length !== 3) return undefined;
  const [version, name, auth] = fields as [Element, Element, Element];
  if (version.tag !== 0x02 || unsigned(buf, version) !== 3 || name.tag !== 0x04 || auth.tag !== 0x80) return undefined;
  return { kind: 'bind', messageId, dn: text(buf, name), password: text(buf, auth) };
}

function searchOf(buf: Buffer, op: Element, messageId: number): FastSearch | undefined {
  const fields = children(buf, op);
  if (!fields || fields.length !== 8) return undefined;
  const [base, scope, deref, size, time, typesOnly, rawFilter, attributes] = fields as [Element, Element, Element, Element, Element, Element, Element, Element];
  if (base.tag !== 0x04 || scope.tag !== 0x0a || deref.tag !== 0x0a || size.tag !== 0x02 || time.tag !== 0x02 || typesOnly.tag !== 0x01 || attributes.tag !== 0x30) return undefined;
  const scopeValue = unsigned(buf, scope);
  const sizeLimit = unsigned(buf, size);
  const timeLimitS = unsigned(buf, time);
  if (scopeValue === undefined || SCOPES[scopeValue] === undefined || sizeLimit === undefined || timeLimitS === undefined || typesOnly.end - typesOnly.start !== 1) return undefined;
  const filter = filterOf(buf, rawFilter, 0);
  const names = children(buf, attributes);
  if (!filter || !names || names.some((n) => n.tag !== 0x04)) return undefined;
  return { kind: 'search', messageId, base: text(buf, base), scope: SCOPES[scopeValue]!, sizeLimit, timeLimitS, typesOnly: buf[typesOnly.start] !== 0, filter, attributes: names.map((n) => text(buf, n)) };
}

const MAX_FILTER_DEPTH = 64;

/** RFC 4511 §4.5.1.7 Filter → our AST; undefined for anything unexpected (ldapjs then decides). */
function filterOf(buf: Buffer, f: Element, depth: number): Filter | undefined {
  if (depth > MAX_FILTER_DEPTH) return undefined;
  const pair = (): [string, string] | undefined => {
    const kids = children(buf, f);
    if (!kids || kids.length !== 2 || kids[0]!.tag !== 0x04 || kids[1]!.tag !== 0x04) return undefined;
    return [text(buf, kids[0]!), text(buf, kids[1]!)];
  };
  switch (f.tag) {
    case 0xa0:
    case 0xa1: {
      const kids = children(buf, f);
      const filters = kids?.map((k) => filterOf(buf, k, depth + 1));
      if (!filters || filters.length === 0 || filters.some((x) => x === undefined)) return undefined;
      return { kind: f.tag === 0xa0 ? 'and' : 'or', filters: filters as Filter[] };
    }
    case 0xa2: {
      const kids = children(buf, f);
      const inner = kids?.length === 1 ? filterOf(buf, kids[0]!, depth + 1) : undefined;
      return inner && { kind: 'not', filter: inner };
    }
    case 0xa3:
    case 0xa5:
    case 0xa6:
    case 0xa8: {
      const ava = pair();
      const kind = ({ 0xa3: 'equal', 0xa5: 'ge', 0xa6: 'le', 0xa8: 'approx' } as const)[f.tag];
      return ava && { kind, attr: ava[0], value: ava[1] };
    }
    case 0x87:
      return f.end > f.start ? { kind: 'present', attr: text(buf, f) } : undefined;
    case 0xa4:
      return substringsOf(buf, f);
    default:
      return undefined; // extensible matches and anything else: ldapjs's path
  }
}

function substringsOf(buf: Buffer, f: Element): Filter | undefined {
  const kids = children(buf, f);
  if (!kids || kids.length !== 2 || kids[0]!.tag !== 0x04 || kids[1]!.tag !== 0x30) return undefined;
  const parts = children(buf, kids[1]!);
  if (!parts || parts.length === 0) return undefined;
  const result: Filter & { kind: 'substrings' } = { kind: 'substrings', attr: text(buf, kids[0]!), any: [] };
  for (const [i, part] of parts.entries()) {
    // initial first and at most once, final last and at most once (RFC 4511 §4.5.1.7.2).
    if (part.tag === 0x80 && i === 0) result.initial = text(buf, part);
    else if (part.tag === 0x81) result.any.push(text(buf, part));
    else if (part.tag === 0x82 && i === parts.length - 1) result.final = text(buf, part);
    else return undefined;
  }
  return result;
}

function berLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...value: Buffer[]): Buffer {
  const body = value.length === 1 ? value[0]! : Buffer.concat(value);
  return Buffer.concat([Buffer.from([tag]), berLength(body.length), body]);
}

function integer(n: number): Buffer {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  if (bytes.length === 0 || bytes[0]! >= 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

/**
 * An LDAPMessage carrying an LDAPResult (RFC 4511 §4.1.9) for `messageId`:
 * BindResponse (0x61), SearchResultDone (0x65)…, with matchedDN and
 * referrals when the outcome has them.
 */
export function ldapResult(messageId: number, appTag: number, outcome: Outcome): Buffer {
  if (outcome.code === 0 && !outcome.matchedDn && !outcome.message && !outcome.referrals?.length) return plainSuccess(messageId, appTag);
  const referrals = outcome.referrals && outcome.referrals.length > 0 ? [tlv(0xa3, ...outcome.referrals.map((url) => tlv(0x04, Buffer.from(url, 'utf8'))))] : [];
  const result = [tlv(0x0a, Buffer.from([outcome.code])), tlv(0x04, Buffer.from(outcome.matchedDn ?? '', 'utf8')), tlv(0x04, Buffer.from(outcome.message ?? '', 'utf8')), ...referrals];
  return tlv(0x30, integer(messageId), tlv(appTag, ...result));
}

/** A success with no matchedDN, message or referrals (most answers: every successful bind and search), written in one buffer. */
function plainSuccess(messageId: number, appTag: number): Buffer {
  const id: number[] = [];
  for (let v = messageId; v > 0; v = Math.floor(v / 256)) id.unshift(v % 256);
  if (id.length === 0 || id[0]! >= 0x80) id.unshift(0);
  // SEQUENCE { INTEGER id, [APPLICATION n] { ENUMERATED 0, OCTET STRING "", OCTET STRING "" } }: always under 128 bytes.
  return Buffer.from([0x30, 2 + id.length + 9, 0x02, id.length, ...id, appTag, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]);
}

export const BIND_RESPONSE = 0x61;
export const SEARCH_DONE = 0x65;
