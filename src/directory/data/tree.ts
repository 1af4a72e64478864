// The directory as this node holds it: the union of the `dir:` datasets in
// its store (its own subtree, its ancestors', its descendants'). Reads only;
// writes go through the writer to the owner. Searches read candidates from
// the store's secondary indexes (indexes.ts) when the filter allows, and
// memberOf is looked up in the member rows of the groups held. What it keeps
// decoded in memory, and what a change drops, is entry-caches.ts.

import type { DatasetReads, Store } from '../../store';
import { EntryCaches, MAX_CACHED_LOOKUP_KEYS, type Credentials } from './entry-caches';
import { dnKey, dnOfKey, isUnder, levelsBelow, normalizeDn } from './dn';
import { credentialKey, isEntryKey, mergeEntry, passwordHeldAbove, PASSWORD_FLAG } from '../security/credentials';
import { PASSWORD_ATTR, valuesOf, type DirEntry } from './entry';
import type { Filter } from './filter';
import { candidates, indexedAttributes, memberKeysOf } from './indexes';
import { dirDataset, placeOf, sitesDn, subtreeOfDataset, type Place } from './subtrees';

/** base, one level, subtree (base included), children (subtree without the base). */
export type Scope = 'base' | 'one' | 'sub' | 'children';

export interface Found {
  /** The store key (reversed normalised DN): results come in this order, and paged searches resume after one. */
  key: string;
  entry: DirEntry;
}

export interface TreeSearch {
  /** Narrows the scan through the indexes when it can (the caller still matches every entry against it). */
  filter?: Filter;
  /** Merge the password hashes held here into the entries (only the admin sees them). */
  secrets?: boolean;
  /** Only entries whose key sorts after this one (a paged search's cookie). */
  after?: string;
  /** Hears when no index narrowed a search of one subtree (slapd's "not indexed"). */
  unindexed?: (subtree: string) => void;
}

const MAX_CACHED_GROUPS = 10_000;
export class DirectoryTree {
  readonly indexed: ReadonlySet<string>;
  /**
   * Read-through caches of what the index rows say, dropped whenever a
   * directory dataset changes: the groups of a DN, and the member keys of a
   * group (decoding a 10,000-member group per entry or per search was most of
   * a memberOf search's time).
   */
  private readonly groupsOf = new Map<string, string[]>();
  private readonly groupDn = new Map<string, string | undefined>();
  /**
   * Group (normalised DN) → the keys it lists (for (memberOf=G) tested entry by entry), and per dataset
   * those that can be in it (a search's candidates); null when the group is not held here.
   */
  private readonly groupMembers = new Map<string, { all: ReadonlySet<string>; inDataset: Map<string, ReadonlySet<string>> } | null>();
  private readonly caches: EntryCaches;
  private readonly unsubscribe: () => void;
  /** heldSubtrees() as of the store's datasetNames() array `subtreesOf`. */
  private subtrees: readonly string[] = [];
  private subtreesOf: readonly string[] | undefined;
  /** The keys datasetOfKey() compares with, for base DN `base`. */
  private keysOf: { base: string; rootKey: string; sitesKey: string; rootDataset: string } | undefined;

  constructor(private readonly store: Store, readonly baseDn: () => string | undefined, indexes: readonly string[] = []) {
    this.indexed = indexedAttributes(indexes);
    this.caches = new EntryCaches(store, this.indexed);
    this.unsubscribe = store.onChange((names) => {
      if (!names.some((n) => subtreeOfDataset(n) !== undefined)) return;
      for (const name of names) if (subtreeOfDataset(name) !== undefined) this.caches.forget(name);
      this.groupsOf.clear();
      this.groupDn.clear();
      this.groupMembers.clear();
    });
  }

  close(): void {
    this.unsubscribe();
  }

  /** Where `dn` lives, or undefined when it is outside the base (or the base is not known yet). */
  place(dn: string): Place | undefined {
    const base = this.baseDn();
    return base === undefined ? undefined : placeOf(dn, base);
  }

  holds(place: Place): boolean {
    return this.store.dataset(place.dataset) !== undefined;
  }

  /** Normalised roots of the subtrees held here: the same array until a dataset comes or goes (do not change it). */
  heldSubtrees(): readonly string[] {
    const names = this.store.datasetNames();
    if (names !== this.subtreesOf) {
      this.subtrees = names.map(subtreeOfDataset).filter((s): s is string => s !== undefined);
      this.subtreesOf = names;
    }
    return this.subtrees;
  }

  /** The entry with the password hashes held here merged in (credentials.ts). */
  get(dn: string): DirEntry | undefined {
    const at = this.located(dn);
    if (!at) return undefined;
    const answered = this.caches.withHashes.of(at.dataset);
    const known = answered.get(at.key);
    if (known) return known;
    const read = this.readWithHashes(at.dataset, at.key);
    if (!read) return undefined;
    this.caches.entries.of(at.dataset).set(at.key, read.stored);
    answered.set(at.key, read.entry);
    return read.entry;
  }

  /**
   * What a bind needs of the entry at `dn` (its hashes held here), or undefined when no such entry is held.
   * Kept apart from the entries: a directory's every user fits, so a login is one map lookup and a hash.
   */
  credentialsOf(dn: string): Credentials | undefined {
    const at = this.located(dn);
    if (!at) return undefined;
    const cached = this.caches.credentials.of(at.dataset);
    const known = cached.get(at.key);
    if (known) return known;
    const entry = this.readWithHashes(at.dataset, at.key)?.entry;
    if (!entry) return undefined;
    const credentials: Credentials = { dn: entry.dn, hashes: valuesOf(entry, PASSWORD_ATTR), heldAbove: passwordHeldAbove(entry) };
    cached.set(at.key, credentials);
    return credentials;
  }

  /** The dataset and key of `dn` when a dataset held here has its place. */
  private located(dn: string): { dataset: string; key: string } | undefined {
    const place = this.place(dn);
    return place && this.holds(place) ? { dataset: place.dataset, key: dnKey(normalizeDn(dn)) } : undefined;
  }

  /** The entry at `key` as stored and with its hashes merged in, both in one read. */
  private readWithHashes(dataset: string, key: string): { stored: DirEntry; entry: DirEntry } | undefined {
    const [stored, hashes] = this.store.getMany(dataset, [key, credentialKey(key)]) as [DirEntry | undefined, string[] | undefined];
    if (!stored) return undefined;
    return { stored, entry: valuesOf(stored, PASSWORD_FLAG).length === 0 ? stored : mergeEntry(stored, hashes) };
  }

  /** The entry exactly as stored (no hashes, with its `_hasPassword` flag). */
  getStored(dn: string): DirEntry | undefined {
    const place = this.place(dn);
    if (!place || !this.holds(place)) return undefined;
    return this.read(place.dataset, [dnKey(normalizeDn(dn))])[0];
  }

  /** Entries of `dataset` at `keys` (undefined where none), from the cache where it has them; `reads`: a search's reads of it. */
  private read(dataset: string, keys: readonly string[], reads?: DatasetReads): Array<DirEntry | undefined> {
    const cached = this.caches.entries.of(dataset);
    const found: Array<DirEntry | undefined> = keys.map((key) => cached.get(key));
    const missing = keys.filter((_, i) => found[i] === undefined);
    if (missing.length === 0) return found;
    const values = (reads ? reads.getMany(missing) : this.store.getMany(dataset, missing)) as Array<DirEntry | undefined>;
    // One entry read alone is kept from its second read on: users read at random from a population
    // larger than the cache (logins at 100,000 users) would each be kept only to be dropped soon
    // after, moved to V8's old generation on the way (~4 µs and GC work per search). Entries read
    // together (a group's members, a subtree) are kept at once.
    const seen = missing.length === 1 ? this.caches.readOnce.of(dataset) : undefined;
    let next = 0;
    for (let i = 0; i < keys.length; i++) {
      if (found[i] !== undefined) continue;
      const key = keys[i]!;
      const value = values[next++];
      found[i] = value;
      // Entries only: credential records are read where they are merged, and never kept here.
      if (value === undefined || !isEntryKey(key)) continue;
      if (seen && !seen.delete(key)) seen.set(key, true);
      else cached.set(key, value);
    }
    return found;
  }

  /** The entries of `base` in `scope`, in key order (parents before children), from every subtree held. */
  search(base: string, scope: Scope, opts: TreeSearch = {}): Found[] {
    const root = normalizeDn(base);
    const rootKey = dnKey(root);
    if (scope === 'base') {
      const entry = this.get(root);
      return entry && (opts.after === undefined || rootKey > opts.after) ? [{ key: rootKey, entry }] : [];
    }
    // Below the root's key: the base itself (sub only), a child (one: no further comma), any descendant.
    const below = `${rootKey},`;
    const inScope = (key: string): boolean => {
      if (key === rootKey) return scope === 'sub';
      if (root !== '' && !key.startsWith(below)) return false;
      return scope !== 'one' || levelsBelow(dnOfKey(key), root) === 1;
    };
    const found: Found[] = [];
    for (const subtree of this.heldSubtrees()) {
      if (!isUnder(subtree, root) && !isUnder(root, subtree)) continue;
      const dataset = `dir:${subtree}`;
      // The index lookups and the entries they name, on one snapshot (one read of the dataset's meta).
      const rows = this.store.reading(dataset, (reads) => {
        const keys = opts.filter && this.candidateKeys(dataset, opts.filter, reads);
        if (opts.filter && !keys) opts.unindexed?.(subtree);
        return keys ? this.rows(dataset, [...keys], reads) : reads.entries(isUnder(root, subtree) && root !== '' ? { prefix: rootKey } : {});
      });
      const here: Found[] = [];
      for (const { key, value } of rows) {
        if (!isEntryKey(key) || (opts.after !== undefined && key <= opts.after) || !inScope(key)) continue;
        here.push({ key, entry: value as DirEntry });
      }
      if (opts.secrets) this.mergeAll(dataset, here);
      found.push(...here);
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Merges the hashes held here into the entries of `dataset` among `found`: those binds keep, and one read for the others. */
  private mergeAll(dataset: string, found: Found[]): void {
    const flagged = found.filter((f) => valuesOf(f.entry, PASSWORD_FLAG).length > 0);
    const kept = this.caches.credentials.of(dataset);
    const unknown = flagged.filter((f) => !kept.has(f.key));
    const hashes = this.store.getMany(dataset, unknown.map((f) => credentialKey(f.key)));
    const read = new Map(unknown.map((f, i) => [f.key, hashes[i] as string[] | undefined]));
    for (const f of flagged) {
      const known = kept.get(f.key);
      f.entry = mergeEntry(f.entry, known ? [...known.hashes] : read.get(f.key));
    }
  }

  private rows(dataset: string, keys: string[], reads: DatasetReads): Array<{ key: string; value: unknown }> {
    const values = this.read(dataset, keys, reads);
    const rows: Array<{ key: string; value: unknown }> = [];
    for (let i = 0; i < keys.length; i++) if (values[i] !== undefined) rows.push({ key: keys[i]!, value: values[i] });
    return rows;
  }

  private candidateKeys(dataset: string, filter: Filter, reads: DatasetReads): ReadonlySet<string> | undefined {
    return candidates(filter, {
      indexed: this.indexed,
      lookup: (query) => {
        const cached = 'term' in query ? this.caches.lookups.of(dataset) : this.caches.prefixLookups.of(dataset);
        const id = 'term' in query ? `=${query.term}` : `^${query.prefix}`;
        let keys = cached.get(id);
        if (keys === undefined) {
          keys = reads.lookup(query);
          if (keys.length <= MAX_CACHED_LOOKUP_KEYS) cached.set(id, keys); // (uid=X), not (mail=*)
        }
        return keys;
      },
      membersOf: (group) => {
        const members = this.membersOf(group);
        if (!members) return undefined;
        let inDataset = members.inDataset.get(dataset);
        if (!inDataset) {
          // A key is read only from the dataset it can be in: the other subtrees held here would
          // each be asked for every member in vain (10,000 lmdb misses per subtree and search).
          // In key order, as the search answers: sorting the candidates found then costs one pass (10,000
          // members in a group's order took a third of a (memberOf=G) search's CPU to sort).
          inDataset = new Set([...members.all].filter((key) => this.datasetOfKey(key) === dataset).sort());
          members.inDataset.set(dataset, inDataset);
        }
        return inDataset;
      },
    });
  }

  /** The dataset an entry's store key can only be in (placeOf, without parsing the DN but for site subtrees); undefined outside the base. */
  private datasetOfKey(key: string): string | undefined {
    const base = this.baseDn();
    if (base === undefined) return undefined;
    if (this.keysOf?.base !== base) {
      const root = normalizeDn(base);
      this.keysOf = { base, rootKey: dnKey(root), sitesKey: dnKey(sitesDn(root)), rootDataset: dirDataset(root) };
    }
    const { rootKey, sitesKey, rootDataset } = this.keysOf;
    if (key !== rootKey && !key.startsWith(`${rootKey},`)) return undefined;
    if (!key.startsWith(`${sitesKey},`)) return rootDataset;
    return placeOf(dnOfKey(key), base)?.dataset;
  }

  hasChildren(dn: string): boolean {
    const norm = normalizeDn(dn);
    const key = dnKey(norm);
    for (const subtree of this.heldSubtrees()) {
      const dataset = `dir:${subtree}`;
      if (subtree !== norm && isUnder(subtree, norm)) {
        // The root of a subtree held below (a site under ou=sites).
        if (this.store.get(dataset, dnKey(subtree)) !== undefined) return true;
      } else if (isUnder(norm, subtree)) {
        if (this.store.entries(dataset, { prefix: norm === '' ? '' : `${key},`, limit: 1 }).length > 0) return true;
      }
    }
    return false;
  }

  /** The closest existing ancestor of `dn` held here ('' if none), for matchedDN. */
  matchedDn(dn: string): string {
    let current = normalizeDn(dn);
    while (current !== '') {
      const comma = current.search(/(?<!\\),/);
      current = comma < 0 ? '' : current.slice(comma + 1);
      const entry = current === '' ? undefined : this.get(current);
      if (entry) return entry.dn;
    }
    return '';
  }

  /**
   * Whether group `group` (a normalised DN) held here lists the entry at `key`:
   * what (memberOf=G) asks of each candidate, from the group's members (read
   * once) instead of every group of every entry.
   */
  isMember(key: string, group: string): boolean {
    return this.membersOf(group)?.all.has(key) ?? false;
  }

  /** The keys group `group` (a normalised DN) lists, read once until the directory changes; null when it is not held here. */
  private membersOf(group: string): { all: ReadonlySet<string>; inDataset: Map<string, ReadonlySet<string>> } | null {
    let members = this.groupMembers.get(group);
    if (members === undefined) {
      const entry = this.getStoredOrUndefined(group);
      members = entry ? { all: new Set(memberKeysOf(entry)), inDataset: new Map() } : null;
      if (this.groupMembers.size >= MAX_CACHED_GROUPS) this.groupMembers.clear(); // filters name groups: bounded whatever clients ask
      this.groupMembers.set(group, members);
    }
    return members;
  }

  private getStoredOrUndefined(dn: string): DirEntry | undefined {
    try {
      return this.getStored(dn);
    } catch {
      return undefined; // not a DN
    }
  }

  /** Groups (held here) that list `dn` as member or uniqueMember, as they spell their DNs. */
  memberOf(dn: string): string[] {
    let norm: string;
    try {
      norm = normalizeDn(dn);
    } catch {
      return [];
    }
    let groups = this.groupsOf.get(norm);
    if (groups) return groups;
    groups = [];
    for (const subtree of this.heldSubtrees()) {
      const dataset = `dir:${subtree}`;
      const keys = new Set([...this.store.lookup(dataset, { term: `member=${norm}` }), ...this.store.lookup(dataset, { term: `uniquemember=${norm}` })]);
      for (const key of [...keys].sort()) {
        const id = `${dataset}\u0000${key}`;
        if (!this.groupDn.has(id)) this.groupDn.set(id, (this.store.get(dataset, key) as DirEntry | undefined)?.dn);
        const spelled = this.groupDn.get(id);
        if (spelled !== undefined) groups.push(spelled);
      }
    }
    this.groupsOf.set(norm, groups);
    return groups;
  }
}
