// The directory as this node holds it: the union of the `dir:` datasets in
// its store (its own subtree, its ancestors', its descendants'). Reads only;
// writes go through the writer to the owner. Also keeps the memberOf index
// (member DN → groups), rebuilt when a directory dataset changes.

import type { Store } from '../store';
import { dnKey, isUnder, levelsBelow, normalizeDn } from './dn';
import { credentialKey, isEntryKey, mergeEntry, PASSWORD_FLAG } from './credentials';
import { valuesOf, type DirEntry } from './entry';
import { placeOf, subtreeOfDataset, type Place } from './subtrees';

export type Scope = 'base' | 'one' | 'sub';

export class DirectoryTree {
  private groupsOf: Map<string, string[]> | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly store: Store, readonly baseDn: () => string | undefined) {
    this.unsubscribe = store.onChange((names) => {
      if (names.some((n) => subtreeOfDataset(n) !== undefined)) this.groupsOf = undefined;
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

  /** Normalised roots of the subtrees held here. */
  heldSubtrees(): string[] {
    return this.store.datasets().map((d) => subtreeOfDataset(d.name)).filter((s): s is string => s !== undefined);
  }

  /** The entry with the password hashes held here merged in (credentials.ts). */
  get(dn: string): DirEntry | undefined {
    const place = this.place(dn);
    if (!place || !this.holds(place)) return undefined;
    const key = dnKey(normalizeDn(dn));
    const stored = this.store.get(place.dataset, key) as DirEntry | undefined;
    return stored && this.merged(place.dataset, key, stored);
  }

  /** The entry exactly as stored (no hashes, with its `_hasPassword` flag). */
  getStored(dn: string): DirEntry | undefined {
    const place = this.place(dn);
    if (!place || !this.holds(place)) return undefined;
    return this.store.get(place.dataset, dnKey(normalizeDn(dn))) as DirEntry | undefined;
  }

  private merged(dataset: string, key: string, stored: DirEntry): DirEntry {
    if (valuesOf(stored, PASSWORD_FLAG).length === 0) return stored;
    return mergeEntry(stored, this.store.get(dataset, credentialKey(key)) as string[] | undefined);
  }

  /** The entries of `base` in `scope`, in key order (parents before children), from every subtree held. */
  search(base: string, scope: Scope): DirEntry[] {
    const root = normalizeDn(base);
    if (scope === 'base') {
      const entry = this.get(root);
      return entry ? [entry] : [];
    }
    const prefix = root === '' ? '' : `${dnKey(root)},`;
    const found: Array<{ key: string; entry: DirEntry }> = [];
    for (const subtree of this.heldSubtrees()) {
      if (!isUnder(subtree, root) && !isUnder(root, subtree)) continue;
      const dataset = `dir:${subtree}`;
      const scanPrefix = isUnder(root, subtree) ? prefix : '';
      for (const { key, value } of this.store.entries(dataset, scanPrefix ? { prefix: scanPrefix } : {})) {
        if (!isEntryKey(key)) continue;
        const entry = this.merged(dataset, key, value as DirEntry);
        const levels = levelsBelow(normalizeDn(entry.dn), root);
        if (levels === 0 || (scope === 'one' && levels !== 1)) continue;
        found.push({ key, entry });
      }
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((f) => f.entry);
  }

  hasChildren(dn: string): boolean {
    return this.search(dn, 'one').length > 0;
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

  /** Groups (held here) that list `dn` as member or uniqueMember. */
  memberOf(dn: string): string[] {
    if (!this.groupsOf) this.groupsOf = this.buildGroupIndex();
    return this.groupsOf.get(normalizeDn(dn)) ?? [];
  }

  private buildGroupIndex(): Map<string, string[]> {
    const index = new Map<string, string[]>();
    for (const subtree of this.heldSubtrees()) {
      for (const { key, value } of this.store.entries(`dir:${subtree}`)) {
        if (!isEntryKey(key)) continue;
        const group = value as DirEntry;
        for (const member of [...valuesOf(group, 'member'), ...valuesOf(group, 'uniqueMember')]) {
          let key: string;
          try {
            key = normalizeDn(member);
          } catch {
            continue;
          }
          const list = index.get(key) ?? [];
          if (!list.includes(group.dn)) list.push(group.dn);
          index.set(key, list);
        }
      }
    }
    return index;
  }
}
