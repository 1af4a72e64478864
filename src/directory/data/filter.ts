// Search filters (RFC 4515/4511 §4.5.1) as a small AST of our own and their
// evaluation against an entry's view. The ldapjs adapter converts its filter
// objects into this, so matching rules are ours: caseIgnoreMatch for strings,
// DN equality for DN-valued attributes, integers compared as numbers.

import { normalizeDn } from './dn';

export type Filter =
  | { kind: 'and'; filters: Filter[] }
  | { kind: 'or'; filters: Filter[] }
  | { kind: 'not'; filter: Filter }
  | { kind: 'equal' | 'ge' | 'le' | 'approx'; attr: string; value: string }
  | { kind: 'present'; attr: string }
  | { kind: 'substrings'; attr: string; initial?: string; any: string[]; final?: string }
  | { kind: 'extensible'; attr?: string; rule?: string; value: string; dnAttributes: boolean };

/**
 * Attribute values as a search sees them (case-insensitive names); with
 * `isMemberOf`, (memberOf=G) asks it (G normalised) instead of listing every
 * group of the entry.
 */
export type AttributeView = ((attr: string) => readonly string[]) & { isMemberOf?: (group: string) => boolean };

const DN_ATTRS = new Set(['member', 'uniquemember', 'memberof', 'owner', 'manager', 'seealso', 'entrydn', 'secretary', 'roleoccupant']);

/** A value as matching rules compare it (attr lower-cased): DNs normalised, other strings trimmed, spaces folded, lower-cased. */
export function canon(attr: string, value: string): string {
  if (DN_ATTRS.has(attr)) {
    try {
      return normalizeDn(value);
    } catch {
      return value.trim().toLowerCase();
    }
  }
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

function order(a: string, b: string): number {
  if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) return Math.sign(Number(BigInt(a) - BigInt(b)));
  return a < b ? -1 : a > b ? 1 : 0;
}

function substringMatch(value: string, f: { initial?: string; any: string[]; final?: string }, attr: string): boolean {
  let rest = value;
  if (f.initial !== undefined) {
    const initial = canon(attr, f.initial);
    if (!rest.startsWith(initial)) return false;
    rest = rest.slice(initial.length);
  }
  for (const piece of f.any) {
    const at = rest.indexOf(canon(attr, piece));
    if (at < 0) return false;
    rest = rest.slice(at + canon(attr, piece).length);
  }
  return f.final === undefined || rest.endsWith(canon(attr, f.final));
}

/** The canonical value of an assertion, worked out once per filter (a search evaluates it against every candidate). */
const wanted = new WeakMap<Filter, string>();
function want(filter: Filter & { attr?: string; value: string }, attr: string): string {
  let value = wanted.get(filter);
  if (value === undefined) wanted.set(filter, (value = canon(attr, filter.value)));
  return value;
}

export function matches(filter: Filter, view: AttributeView): boolean {
  switch (filter.kind) {
    case 'and':
      return filter.filters.every((f) => matches(f, view));
    case 'or':
      return filter.filters.some((f) => matches(f, view));
    case 'not':
      return !matches(filter.filter, view);
    case 'present':
      return filter.attr.toLowerCase() === 'objectclass' || view(filter.attr).length > 0;
    case 'substrings': {
      const attr = filter.attr.toLowerCase();
      return view(attr).some((v) => substringMatch(canon(attr, v), filter, attr));
    }
    case 'extensible': {
      if (!filter.attr) return false; // matching-rule-only filters (no attribute) are not supported: match nothing
      const attr = filter.attr.toLowerCase();
      const value = want(filter, attr);
      return view(attr).some((v) => canon(attr, v) === value);
    }
    default: {
      const attr = filter.attr.toLowerCase();
      const value = want(filter, attr);
      if (attr === 'memberof' && filter.kind === 'equal' && view.isMemberOf) return view.isMemberOf(value);
      return view(attr).some((v) => {
        const have = canon(attr, v);
        if (filter.kind === 'equal' || filter.kind === 'approx') return have === value;
        return filter.kind === 'ge' ? order(have, value) >= 0 : order(have, value) <= 0;
      });
    }
  }
}

/** Attributes a filter reads (for access checks on filtered attributes). */
export function filterAttributes(filter: Filter): string[] {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return filter.filters.flatMap(filterAttributes);
    case 'not':
      return filterAttributes(filter.filter);
    case 'extensible':
      return filter.attr ? [filter.attr.toLowerCase()] : [];
    default:
      return [filter.attr.toLowerCase()];
  }
}

/** The filter as RFC 4515 text, for logs. */
export function filterText(filter: Filter): string {
  const esc = (v: string): string => v.replace(/[*()\\\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  switch (filter.kind) {
    case 'and':
      return `(&${filter.filters.map(filterText).join('')})`;
    case 'or':
      return `(|${filter.filters.map(filterText).join('')})`;
    case 'not':
      return `(!${filterText(filter.filter)})`;
    case 'present':
      return `(${filter.attr}=*)`;
    case 'substrings':
      return `(${filter.attr}=${esc(filter.initial ?? '')}*${filter.any.map((a) => `${esc(a)}*`).join('')}${esc(filter.final ?? '')})`;
    case 'extensible':
      return `(${filter.attr ?? ''}${filter.dnAttributes ? ':dn' : ''}${filter.rule ? `:${filter.rule}` : ''}:=${esc(filter.value)})`;
    default:
      return `(${filter.attr}${{ equal: '=', ge: '>=', le: '<=', approx: '~=' }[filter.kind]}${esc(filter.value)})`;
  }
}
