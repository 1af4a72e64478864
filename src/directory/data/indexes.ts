// The directory's secondary indexes (issue 11): the terms the store keeps for
// each entry (store/indexes.ts) and the filter planner that turns a search
// filter into candidate keys from them. An indexed attribute's term is
// `<attr>=<value as matching compares it>` (filter.ts canon), so one set of
// rows serves equality, presence (the `<attr>=` prefix) and initial
// substrings (`<attr>=<initial>` prefix). Candidates are a superset: every
// entry found is still matched against the whole filter. memberOf is derived
// from the member/uniqueMember rows, never stored.

import type { IndexQuery, Indexer } from '../../store';
import { isEntryKey } from '../security/credentials';
import { dnKey, normalizeDn } from './dn';
import type { DirEntry } from './entry';
import { canon, type Filter } from './filter';
import { subtreeOfDataset } from './subtrees';

/** Indexed whatever the config says: what logins, groups and mail routing search by. */
export const DEFAULT_INDEXED = ['objectclass', 'uid', 'cn', 'mail', 'member', 'uniquemember'] as const;
const GROUP_MEMBER_ATTRS = ['member', 'uniquemember'] as const;
/** Candidates few enough to match one by one rather than narrow further. */
const FEW = 64;

export function termOf(attr: string, value: string): string {
  return `${attr}=${canon(attr, value)}`;
}

/** DEFAULT_INDEXED plus `extra` (directory.indexes), lower-case. */
export function indexedAttributes(extra: readonly string[] = []): ReadonlySet<string> {
  return new Set([...DEFAULT_INDEXED, ...extra.map((a) => a.toLowerCase())]);
}

/** The store's indexer for `dir:` datasets: DEFAULT_INDEXED plus `extra` (directory.indexes). */
export function directoryIndexer(extra: readonly string[] = []): Indexer {
  const attrs = indexedAttributes(extra);
  return {
    covers: (dataset) => subtreeOfDataset(dataset) !== undefined,
    terms: (key, value) => (isEntryKey(key) ? entryTerms(value as DirEntry, attrs) : []),
    version: `dir1:${[...attrs].sort().join(',')}`,
  };
}

/** The terms an entry has rows for, for the attributes in `attrs` (lower-case). */
export function entryTerms(entry: DirEntry, attrs: ReadonlySet<string>): string[] {
  const terms: string[] = [];
  for (const [name, values] of Object.entries(entry.attrs ?? {})) {
    const attr = name.toLowerCase();
    if (!attrs.has(attr) || !Array.isArray(values)) continue;
    for (const value of values) if (typeof value === 'string') terms.push(termOf(attr, value));
  }
  return terms;
}

export interface PlanSource {
  /** Attributes with rows (lower-case). */
  indexed: ReadonlySet<string>;
  /** Keys of one dataset's entries matching an index query. */
  lookup(query: IndexQuery): readonly string[];
  /**
   * Keys of the members of group `dn` (its member/uniqueMember values) that can be in the dataset searched,
   * or undefined when the group is not held. The caller may keep the set: nobody changes it.
   */
  membersOf(dn: string): ReadonlySet<string> | undefined;
}

/** Candidate entry keys for `filter` in one dataset, or undefined when no index narrows it (then every entry is a candidate). */
export function candidates(filter: Filter, source: PlanSource): ReadonlySet<string> | undefined {
  switch (filter.kind) {
    case 'and': {
      let result: ReadonlySet<string> | undefined;
      // memberOf expands a whole group: last, and not at all once the others leave a handful to check one by one.
      const isMemberOf = (f: Filter): boolean => f.kind === 'equal' && f.attr.toLowerCase() === 'memberof';
      for (const f of [...filter.filters.filter((f) => !isMemberOf(f)), ...filter.filters.filter(isMemberOf)]) {
        if (result && result.size <= FEW && isMemberOf(f)) break;
        const c = candidates(f, source);
        if (!c) continue;
        result = result ? new Set([...c].filter((k) => result!.has(k))) : c;
        if (result.size === 0) break;
      }
      return result;
    }
    case 'or': {
      const union = new Set<string>();
      for (const f of filter.filters) {
        const c = candidates(f, source);
        if (!c) return undefined;
        for (const k of c) union.add(k);
      }
      return union;
    }
    case 'equal':
    case 'approx': {
      const attr = filter.attr.toLowerCase();
      if (attr === 'memberof') return memberKeys(filter.value, source);
      return source.indexed.has(attr) ? new Set(source.lookup({ term: termOf(attr, filter.value) })) : undefined;
    }
    case 'present': {
      const attr = filter.attr.toLowerCase();
      return attr !== 'objectclass' && source.indexed.has(attr) ? new Set(source.lookup({ prefix: `${attr}=` })) : undefined;
    }
    case 'substrings': {
      const attr = filter.attr.toLowerCase();
      if (filter.initial === undefined || !source.indexed.has(attr) || (GROUP_MEMBER_ATTRS as readonly string[]).includes(attr)) return undefined;
      return new Set(source.lookup({ prefix: `${attr}=${canon(attr, filter.initial)}` }));
    }
    default:
      return undefined;
  }
}

function memberKeys(group: string, source: PlanSource): ReadonlySet<string> | undefined {
  let norm: string;
  try {
    norm = normalizeDn(group);
  } catch {
    return new Set(); // not a DN: no entry is a member of it
  }
  return source.membersOf(norm);
}

/** Keys of the DNs a group lists, skipping values that are not DNs. */
export function memberKeysOf(group: DirEntry): string[] {
  const keys: string[] = [];
  for (const [name, values] of Object.entries(group.attrs ?? {})) {
    if (!(GROUP_MEMBER_ATTRS as readonly string[]).includes(name.toLowerCase())) continue;
    for (const value of values) {
      try {
        keys.push(dnKey(normalizeDn(value)));
      } catch {
        // not a DN: names nobody
      }
    }
  }
  return keys;
}
