// The directory as this node holds it: the union of the `dir:` datasets in
// its store (its own subtree, its ancestors', its descendants'). Reads only;
// writes go through the writer to the owner. Searches read candidates from
// the store's secondary indexes (indexes.ts) when the filter allows, and
// memberOf is looked up in the member rows of the groups held.

import { BoundedMap } from '../../kernel/bounded-map';
import type { SinceResult, Store } from '../../store';
import { dnKey, dnOfKey, isUnder, levelsBelow, normalizeDn } from './dn';
import { credentialKey, entryKeyOf, isEntryKey, mergeEntry, passwordHeldAbove, PASSWORD_FLAG } from '../security/credentials';
import { PASSWORD_ATTR, valuesOf, type DirEntry } from './entry';
import type { Filter } from './filter';
import { candidates, entryTerms, indexedAttributes, memberKeysOf } from './indexes';
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
/** Decoded entries kept per dataset (a 10,000-member group's search reads them all again without it). */
const MAX_CACHED_ENTRIES = 20_000;
/** What binds need of an entry, kept per dataset: ~0.3 KB each, a tenth of the entry decoded (100,000 users' fit in ~30 MB). */
const MAX_CACHED_CREDENTIALS = 200_000;
/**
 * Index lookups kept per dataset, when they found at most MAX_CACHED_LOOKUP_KEYS keys: (uid=X),
 * (mail=X), not (objectClass=person). ~0.2 KB each for one key, ~0.4 KB at most: a 100,000-user
 * directory's logins fit in ~20–40 MB, and a (uid=X) search that finds its lookup here skips the
 * index read (a fifth of its time at 100,000 users).
 */
const MAX_CACHED_LOOKUPS = 100_000;
const MAX_CACHED_LOOKUP_KEYS = 4;
/** A change to a subtree drops the entries it touched from the caches; beyond this many changes at once, all of them. */
const FORGET_BY_KEY_LIMIT = 1000;

/** Values kept per dataset, oldest first beyond `max`; forget() drops what a change touched, or a dataset's all. */
class PerDataset<V> {
  private readonly byDataset = new Map<string, BoundedMap<string, V>>();

  constructor(private readonly max: number) {}

  of(dataset: string): BoundedMap<string, V> {
    let values = this.byDataset.get(dataset);
    if (!values) this.byDataset.set(dataset, (values = new BoundedMap(this.max)));
    return values;
  }

  drop(dataset: string): void {
    this.byDataset.delete(dataset);
  }
}

/** What a bind needs of an entry held here. */
export interface Credentials {
  /** The entry's DN as it spells it. */
  readonly dn: string;
  /** Its password hashes held here. */
  readonly hashes: readonly string[];
  /** It has a password that is kept above this node (the check is chained up). */
  readonly heldAbove: boolean;
}

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
  /**
   * Entries as stored, decoded, per dataset: each dropped when a change of
   * its dataset touches it (forget(); in a worker: when the node says so),
   * oldest first beyond MAX_CACHED_ENTRIES. Shared objects: nothing may change them.
   */
  private readonly entries = new PerDataset<DirEntry>(MAX_CACHED_ENTRIES);
  /** What get() answered (entries with the hashes held here merged in: a bind's one read), likewise. */
  private readonly withHashes = new PerDataset<DirEntry>(MAX_CACHED_ENTRIES);
  /** Index lookups of one term (`=term` → the keys), each dropped when a change gives an entry that term. */
  private readonly lookups = new PerDataset<readonly string[]>(MAX_CACHED_LOOKUPS);
  /** Index lookups of a prefix (`^prefix` → the keys), dropped whole with any change of their dataset. */
  private readonly prefixLookups = new PerDataset<readonly string[]>(MAX_CACHED_ENTRIES);
  /** What credentialsOf() answered, likewise (up to MAX_CACHED_CREDENTIALS). */
  private readonly credentials = new PerDataset<Credentials>(MAX_CACHED_CREDENTIALS);
  /** Per dataset, the epoch and seq its caches of entries are in step with (forget()). */
  private readonly inStep = new Map<string, { epoch: string; seq: number }>();
  private readonly unsubscribe: () => void;
  /** heldSubtrees() as of the store's datasetNames() array `subtreesOf`. */
  private subtrees: readonly string[] = [];
  private subtreesOf: readonly string[] | undefined;
  /** The keys datasetOfKey() compares with, for base DN `base`. */
  private keysOf: { base: string; rootKey: string; sitesKey: string; rootDataset: string } | undefined;

  constructor(private readonly store: Store, readonly baseDn: () => string | undefined, indexes: readonly string[] = []) {
    this.indexed = indexedAttributes(indexes);
    this.unsubscribe = store.onChange((names) => {
      if (!names.some((n) => subtreeOfDataset(n) !== undefined)) return;
      for (const name of names) if (subtreeOfDataset(name) !== undefined) this.forget(name);
      this.groupsOf.clear();
      this.groupDn.clear();
      this.groupMembers.clear();
    });
  }

  /**
   * After a change to `dataset`: drop from the caches of entries the keys it changed (read from the
   * store's change log since the seq they are in step with), or everything when that cannot be told
   * (a snapshot, a new epoch, more changes than FORGET_BY_KEY_LIMIT). A term's lookup is dropped when
   * a change gives an entry that term (one that loses it stays a candidate there: searches match every
   * candidate against the filter); prefix lookups are dropped whole.
   */
  private forget(dataset: string): void {
    this.prefixLookups.drop(dataset);
    const info = this.store.dataset(dataset);
    const at = this.inStep.get(dataset);
    const since = info && at && info.epoch === at.epoch && info.seq - at.seq <= FORGET_BY_KEY_LIMIT
      ? this.changesSince(dataset, at)
      : undefined;
    if (since?.kind !== 'changes') {
      this.entries.drop(dataset);
      this.withHashes.drop(dataset);
      this.credentials.drop(dataset);
      this.lookups.drop(dataset);
      if (info) this.inStep.set(dataset, { epoch: info.epoch, seq: info.seq });
      else this.inStep.delete(dataset);
      return;
    }
    let seq = at!.seq;
    const caches = [this.entries.of(dataset), this.withHashes.of(dataset), this.credentials.of(dataset)];
    const lookups = this.lookups.of(dataset);
    for (const change of since.changes) {
      const key = entryKeyOf(change.key);
      for (const cache of caches) cache.delete(key);
      if (change.op === 'put' && isEntryKey(change.key)) {
        for (const term of entryTerms(change.value as DirEntry, this.indexed)) lookups.delete(`=${term}`);
      }
      seq = Math.max(seq, change.seq);
    }
    this.inStep.set(dataset, { epoch: at!.epoch, seq });
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
    const place = this.place(dn);
    if (!place || !this.holds(place)) return undefined;
    const key = dnKey(normalizeDn(dn));
    const answered = this.withHashes.of(place.dataset);
    const known = answered.get(key);
    if (known) return known;
    // Not answered since the dataset last changed: the entry and its hashes in one read.
    const [stored, hashes] = this.store.getMany(place.dataset, [key, credentialKey(key)]) as [DirEntry | undefined, string[] | undefined];
    if (!stored) return undefined;
    this.entries.of(place.dataset).set(key, stored);
    const entry = valuesOf(stored, PASSWORD_FLAG).length === 0 ? stored : mergeEntry(stored, hashes);
    answered.set(key, entry);
    return entry;
  }

  /**
   * What a bind needs of the entry at `dn` (its hashes held here), or undefined when no such entry is held.
   * Kept apart from the entries: a directory's every user fits, so a login is one map lookup and a hash.
   */
  credentialsOf(dn: string): Credentials | undefined {
    const place = this.place(dn);
    if (!place || !this.holds(place)) return undefined;
    const key = dnKey(normalizeDn(dn));
    const cached = this.credentials.of(place.dataset);
    const known = cached.get(key);
    if (known) return known;
    const [stored, hashes] = this.store.getMany(place.dataset, [key, credentialKey(key)]) as [DirEntry | undefined, string[] | undefined];
    if (!stored) return undefined;
    const entry = valuesOf(stored, PASSWORD_FLAG).length === 0 ? stored : mergeEntry(stored, hashes);
    const credentials: Credentials = { dn: entry.dn, hashes: valuesOf(entry, PASSWORD_ATTR), heldAbove: passwordHeldAbove(entry) };
    cached.set(key, credentials);
    return credentials;
  }

  /** The dataset's changes after `at`, or undefined when the log cannot tell (then the caller drops everything). */
  private changesSince(dataset: string, at: { epoch: string; seq: number }): SinceResult | undefined {
    try {
      return this.store.since(dataset, at.seq, { epoch: at.epoch, limit: FORGET_BY_KEY_LIMIT });
    } catch {
      return undefined; // a store closing, a dataset gone meanwhile: never keep what may be stale
    }
  }

  /** The entry exactly as stored (no hashes, with its `_hasPassword` flag). */
  getStored(dn: string): DirEntry | undefined {
    const place = this.place(dn);
    if (!place || !this.holds(place)) return undefined;
    return this.read(place.dataset, [dnKey(normalizeDn(dn))])[0];
  }

  /** Entries of `dataset` at `keys` (undefined where none), from the cache where it has them. */
  private read(dataset: string, keys: readonly string[]): Array<DirEntry | undefined> {
    const cached = this.entries.of(dataset);
    const found: Array<DirEntry | undefined> = keys.map((key) => cached.get(key));
    const missing = keys.filter((_, i) => found[i] === undefined);
    if (missing.length === 0) return found;
    const values = this.store.getMany(dataset, missing) as Array<DirEntry | undefined>;
    let next = 0;
    for (let i = 0; i < keys.length; i++) {
      if (found[i] !== undefined) continue;
      const value = values[next++];
      found[i] = value;
      // Entries only: credential records are read where they are merged, and never kept here.
      if (value !== undefined && isEntryKey(keys[i]!)) cached.set(keys[i]!, value);
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
    const inScope = (key: string): boolean => {
      if (key === rootKey) return scope === 'sub';
      if (root !== '' && !key.startsWith(`${rootKey},`)) return false;
      return scope !== 'one' || levelsBelow(dnOfKey(key), root) === 1;
    };
    const found: Found[] = [];
    for (const subtree of this.heldSubtrees()) {
      if (!isUnder(subtree, root) && !isUnder(root, subtree)) continue;
      const dataset = `dir:${subtree}`;
      const keys = opts.filter && this.candidateKeys(dataset, opts.filter);
      if (opts.filter && !keys) opts.unindexed?.(subtree);
      const rows = keys ? this.rows(dataset, [...keys]) : this.store.entries(dataset, isUnder(root, subtree) && root !== '' ? { prefix: rootKey } : {});
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

  /** Merges the hashes held here into the entries of `dataset` among `found` (one read for all). */
  private mergeAll(dataset: string, found: Found[]): void {
    const flagged = found.filter((f) => valuesOf(f.entry, PASSWORD_FLAG).length > 0);
    const hashes = this.store.getMany(dataset, flagged.map((f) => credentialKey(f.key)));
    flagged.forEach((f, i) => (f.entry = mergeEntry(f.entry, hashes[i] as string[] | undefined)));
  }

  private rows(dataset: string, keys: string[]): Array<{ key: string; value: unknown }> {
    const values = this.read(dataset, keys);
    return keys.map((key, i) => ({ key, value: values[i] })).filter((r) => r.value !== undefined);
  }

  private candidateKeys(dataset: string, filter: Filter): ReadonlySet<string> | undefined {
    return candidates(filter, {
      indexed: this.indexed,
      lookup: (query) => {
        const cached = 'term' in query ? this.lookups.of(dataset) : this.prefixLookups.of(dataset);
        const id = 'term' in query ? `=${query.term}` : `^${query.prefix}`;
        let keys = cached.get(id);
        if (keys === undefined) {
          keys = this.store.lookup(dataset, query);
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
          inDataset = new Set([...members.all].filter((key) => this.datasetOfKey(key) === dataset));
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
