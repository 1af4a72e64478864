// Distinguished names (RFC 4514) as the directory compares them: a DN is
// normalised once (attribute types and values lower-cased, spaces around
// separators dropped, escapes made canonical, multi-valued RDNs sorted) and
// the normalised string is the key everywhere. Display keeps the user's text.
// It does not know about subtrees, schemas or the store.

import { BoundedMap } from '../../kernel/bounded-map';
import { InvalidArgumentError } from '../../kernel/errors';

/** Split on unescaped `sep`, keeping escapes in the parts. */
function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text[i + 1];
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (ch === sep && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/** Spaces around a value are not part of it, except an escaped trailing one (`cn=a\ `). */
function trimValue(raw: string): string {
  let value = raw.trimStart();
  while (value.endsWith(' ') && !/(^|[^\\])(\\\\)*\\ $/.test(value)) value = value.slice(0, -1);
  return value;
}

function unescapeValue(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('"')) return trimValue(raw); // nothing escaped or quoted: the common case
  let value = trimValue(raw);
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\' && /^[0-9a-fA-F]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (ch === '\\' && i + 1 < value.length) {
      bytes.push(...Buffer.from(value[i + 1]!, 'utf8'));
      i++;
    } else {
      bytes.push(...Buffer.from(ch, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 4514 §2.4 escaping of an attribute value. */
export function escapeValue(value: string): string {
  let out = value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

export interface Ava {
  type: string;
  value: string;
}

/** The RDNs of `dn`, leftmost first, each a list of (type, unescaped value). */
export function parseDn(dn: string): Ava[][] {
  if (dn.trim() === '') return [];
  return splitUnescaped(dn, ',').map((rdn) =>
    splitUnescaped(rdn, '+').map((ava) => {
      const eq = ava.indexOf('=');
      const type = eq > 0 ? ava.slice(0, eq).trim() : '';
      if (!/^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)*)$/.test(type)) {
        throw new InvalidArgumentError(`invalid DN ${JSON.stringify(dn)}: ${JSON.stringify(ava.trim())} is not type=value`);
      }
      return { type, value: unescapeValue(ava.slice(eq + 1)) };
    }),
  );
}

export function formatDn(rdns: Ava[][]): string {
  return rdns.map((rdn) => rdn.map((a) => `${a.type}=${escapeValue(a.value)}`).join('+')).join(',');
}

/** Recently normalised DNs: the same few (bases, groups, the entries being served) come back all the time. */
const normalized = new BoundedMap<string, string>(20_000);

/** The comparison form of a DN (throws InvalidArgumentError if it is not one). */
export function normalizeDn(dn: string): string {
  let norm = normalized.get(dn);
  if (norm === undefined) {
    norm = plainNormalized(dn) ?? normalizeFull(dn);
    normalized.set(dn, norm);
  }
  return norm;
}

/** Characters that make a DN need the full parser: escapes, quotes, multi-valued RDNs, and what escapeValue would escape. */
const NOT_PLAIN = /[\\"+<>;#]/;
const ATTRIBUTE_TYPE = /^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)*)$/;

/**
 * normalizeFull's answer for a DN with none of NOT_PLAIN's characters and no
 * '=' inside a value (nearly every DN a client sends): split, trim, lower-case.
 * Undefined for anything else, which goes the full way (and is refused there
 * if it is not a DN). A cache miss at 100,000 entries spent ~10 µs parsing.
 */
function plainNormalized(dn: string): string | undefined {
  if (NOT_PLAIN.test(dn)) return undefined;
  if (dn.trim() === '') return '';
  const parts = dn.split(',');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const eq = part.indexOf('=');
    if (eq <= 0 || part.indexOf('=', eq + 1) >= 0) return undefined;
    const type = part.slice(0, eq).trim();
    if (!ATTRIBUTE_TYPE.test(type)) return undefined;
    const value = part.slice(eq + 1).trim().replace(/\s+/g, ' ').toLowerCase();
    parts[i] = `${type.toLowerCase()}=${value}`;
  }
  return parts.join(',');
}

/** The comparison form by the RFC 4514 parser (what plainNormalized must agree with; exported for that test). */
export function normalizeFull(dn: string): string {
  const rdns = parseDn(dn).map((rdn) =>
    rdn.map((a) => ({ type: a.type.toLowerCase(), value: a.value.trim().replace(/\s+/g, ' ').toLowerCase() })).sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)),
  );
  return formatDn(rdns);
}

/** A DN as the user wrote it, only tidied (no spaces after commas). */
export function tidyDn(dn: string): string {
  return formatDn(parseDn(dn));
}

/** Normalised parent DN ('' for a top-level entry). */
export function parentDn(normalized: string): string {
  const parts = splitUnescaped(normalized, ',');
  return parts.slice(1).join(',');
}

/** The first RDN of a normalised or display DN. */
export function firstRdn(dn: string): Ava[] {
  return parseDn(dn)[0] ?? [];
}

/** `dn` equals `base` or lies below it (both normalised). */
export function isUnder(dn: string, base: string): boolean {
  if (base === '') return true;
  return dn === base || dn.endsWith(`,${base}`);
}

/** Number of RDNs of `dn` below `base` (0 = the base itself); both normalised, dn under base. */
export function levelsBelow(dn: string, base: string): number {
  if (dn === base) return 0;
  const rest = base === '' ? dn : dn.slice(0, dn.length - base.length - 1);
  return splitUnescaped(rest, ',').length;
}

/** `text` split on unescaped commas, reversed (a normalised DN escapes every comma and quote in a value, so without a backslash a plain split is the same). */
function reversedRdns(text: string): string {
  return (text.includes('\\') ? splitUnescaped(text, ',') : text.split(',')).reverse().join(',');
}

/** Store key of a normalised DN: RDNs root first, so a subtree is one key prefix. */
export function dnKey(normalized: string): string {
  return reversedRdns(normalized);
}

/** The normalised DN of a store key (dnKey reversed). */
export function dnOfKey(key: string): string {
  return reversedRdns(key);
}
