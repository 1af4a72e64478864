// What the directory tree keeps decoded in memory, per `dir:` dataset, and
// what a change drops: entries, entries with their hashes, what binds need,
// and index lookups. A change drops only what it touched, read from the
// store's change log (or everything, when the log cannot tell).

import { BoundedMap } from '../../kernel/bounded-map';
import type { SinceResult, Store } from '../../store';
import { entryKeyOf, isEntryKey } from '../security/credentials';
import type { DirEntry } from './entry';
import { entryTerms } from './indexes';

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
export const MAX_CACHED_LOOKUP_KEYS = 4;
/** A change to a subtree drops the entries it touched from the caches; beyond this many changes at once, all of them. */
const FORGET_BY_KEY_LIMIT = 1000;

/** Values kept per dataset, oldest first beyond `max`; forget() drops what a change touched, or a dataset's all. */
export class PerDataset<V> {
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

  /** How many values are kept for `dataset`. */
  sizeOf(dataset: string): number {
    return this.byDataset.get(dataset)?.size ?? 0;
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

export class EntryCaches {
  /**
   * Entries as stored, decoded, per dataset: each dropped when a change of
   * its dataset touches it (forget(); in a worker: when the node says so),
   * oldest first beyond MAX_CACHED_ENTRIES. Shared objects: nothing may change them.
   */
  readonly entries = new PerDataset<DirEntry>(MAX_CACHED_ENTRIES);
  /** Keys of entries read once alone and not kept (the tree keeps an entry read alone at its second read). */
  readonly readOnce = new PerDataset<true>(2 * MAX_CACHED_ENTRIES);
  /** What get() answered (entries with the hashes held here merged in: a bind's one read), likewise. */
  readonly withHashes = new PerDataset<DirEntry>(MAX_CACHED_ENTRIES);
  /** Index lookups of one term (`=term` → the keys), each dropped when a change gives an entry that term. */
  readonly lookups = new PerDataset<readonly string[]>(MAX_CACHED_LOOKUPS);
  /** Index lookups of a prefix (`^prefix` → the keys), dropped whole with any change of their dataset. */
  readonly prefixLookups = new PerDataset<readonly string[]>(MAX_CACHED_ENTRIES);
  /** What credentialsOf() answered, likewise (up to MAX_CACHED_CREDENTIALS). */
  readonly credentials = new PerDataset<Credentials>(MAX_CACHED_CREDENTIALS);
  /** Per dataset, the epoch and seq its caches of entries are in step with (forget()). */
  readonly inStep = new Map<string, { epoch: string; seq: number }>();

  constructor(private readonly store: Store, private readonly indexed: ReadonlySet<string>) {}

  /**
   * After a change to `dataset`: drop from the caches of entries the keys it changed (read from the
   * store's change log since the seq they are in step with), or everything when that cannot be told
   * (a snapshot, a new epoch, more changes than FORGET_BY_KEY_LIMIT). A term's lookup is dropped when
   * a change gives an entry that term (one that loses it stays a candidate there: searches match every
   * candidate against the filter); prefix lookups are dropped whole.
   */
  forget(dataset: string): void {
    this.prefixLookups.drop(dataset);
    const info = this.store.dataset(dataset);
    const at = this.inStep.get(dataset);
    const byKey = [this.entries, this.withHashes, this.credentials];
    // With nothing kept there is nothing to drop: no change log read, no entry's terms computed
    // (an import of 100,000 users did both for every change at every node).
    const holds = [...byKey, this.lookups].some((cache) => cache.sizeOf(dataset) > 0);
    const since = holds && info && at && info.epoch === at.epoch && info.seq - at.seq <= FORGET_BY_KEY_LIMIT
      ? this.changesSince(dataset, at)
      : undefined;
    if (since?.kind !== 'changes') {
      for (const cache of [...byKey, this.lookups]) cache.drop(dataset);
      if (info) this.inStep.set(dataset, { epoch: info.epoch, seq: info.seq });
      else this.inStep.delete(dataset);
      return;
    }
    let seq = at!.seq;
    const caches = byKey.map((cache) => cache.of(dataset));
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

  /** The dataset's changes after `at`, or undefined when the log cannot tell (then the caller drops everything). */
  private changesSince(dataset: string, at: { epoch: string; seq: number }): SinceResult | undefined {
    try {
      return this.store.since(dataset, at.seq, { epoch: at.epoch, limit: FORGET_BY_KEY_LIMIT });
    } catch {
      return undefined; // a store closing, a dataset gone meanwhile: never keep what may be stale
    }
  }
}
