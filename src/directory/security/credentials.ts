// Password hashes live in their own record beside each entry (key
// `<entry key>;userPassword`), so replication can hold them back from lower
// tiers without touching the entry (DESIGN §5, credential replication policy,
// as read-only branch domain controllers do). The entry carries a flag,
// `_hasPassword`, so a node that holds the entry but not its hash knows to
// chain the bind up the tree instead of calling the password wrong.
// This file: the storage form of entries and the policy; no I/O.

import type { Change, Entry, Mutation } from '../../store';
import { dnKey, dnOfKey, isUnder, normalizeDn } from '../data/dn';
import { PASSWORD_ATTR, valuesOf, withValues, type DirEntry } from '../data/entry';
import { dirDataset, placeOf } from '../data/subtrees';

export const PASSWORD_FLAG = '_hasPassword';
const CREDENTIAL_SUFFIX = ';userPassword';
/** In the core's directory dataset: the credential policy, as the core's config says. */
export const POLICY_KEY = ';credentialPolicy';

export type Tier = 'core' | 'regional' | 'site';
const TIER_RANK: Record<string, number> = { core: 0, regional: 1, site: 2 };

/** Hashes of entries under `subtree`, or of members of `group`, go no lower than `lowestTier`. First match wins. */
export interface CredentialRule {
  subtree?: string;
  group?: string;
  lowestTier: Tier;
}

export function credentialKey(entryKey: string): string {
  return `${entryKey}${CREDENTIAL_SUFFIX}`;
}

/** The entry a record key is about: the key itself, or the entry whose credentials it holds. */
export function entryKeyOf(key: string): string {
  return key.endsWith(CREDENTIAL_SUFFIX) ? key.slice(0, -CREDENTIAL_SUFFIX.length) : key;
}

/** Keys of entries, as opposed to credential and policy records (an unescaped ';' never occurs in a DN key). */
export function isEntryKey(key: string): boolean {
  return !key.includes(';') || !/(^|[^\\]);/.test(key); // the first test alone answers for nearly every key
}

/** The entry as stored (no userPassword) and its hashes, if it sets any. */
export function splitEntry(entry: DirEntry): { stored: DirEntry; hashes: string[] | undefined } {
  const hashes = valuesOf(entry, PASSWORD_ATTR);
  const has = valuesOf(entry, PASSWORD_FLAG).length > 0 || hashes.length > 0;
  const stored = withValues(withValues(entry, PASSWORD_ATTR, []), PASSWORD_FLAG, has ? ['TRUE'] : []);
  return { stored, hashes: hashes.length > 0 ? hashes : undefined };
}

/** The entry as operations see it: stored form plus the hashes held here. */
export function mergeEntry(stored: DirEntry, hashes: string[] | undefined): DirEntry {
  return hashes && hashes.length > 0 ? withValues(stored, 'userPassword', hashes) : stored;
}

/** Does the entry have a password that this node does not hold? */
export function passwordHeldAbove(entry: DirEntry): boolean {
  return valuesOf(entry, PASSWORD_FLAG).length > 0 && valuesOf(entry, PASSWORD_ATTR).length === 0;
}

/**
 * Mutations that turn `current` (as read here, merged) into `next` at `norm`,
 * with the owner checking the entry is still what was read. Hashes are
 * written only when they change, so a node that does not hold them can
 * modify other attributes without erasing them.
 */
export function entryMutations(norm: string, next: DirEntry | undefined, current: DirEntry | undefined): Mutation[] {
  const key = dnKey(norm);
  const before = current ? splitEntry(current) : undefined;
  const expect = before ? { exists: true as const, value: before.stored } : { exists: false as const };
  if (!next) {
    const mutations: Mutation[] = [{ op: 'delete', key, expect }];
    if (before?.stored && valuesOf(before.stored, PASSWORD_FLAG).length > 0) mutations.push({ op: 'delete', key: credentialKey(key) });
    return mutations;
  }
  const after = splitEntry(next);
  const mutations: Mutation[] = [{ op: 'put', key, value: after.stored, expect }];
  if (after.hashes && JSON.stringify(after.hashes) !== JSON.stringify(before?.hashes)) mutations.push({ op: 'put', key: credentialKey(key), value: after.hashes });
  else if (!after.hashes && valuesOf(after.stored, PASSWORD_FLAG).length === 0 && before && valuesOf(before.stored, PASSWORD_FLAG).length > 0) mutations.push({ op: 'delete', key: credentialKey(key) });
  return mutations;
}

/** Must the hash of entry `norm` be held back from a node of `tier`? */
export function withheld(rules: readonly CredentialRule[], norm: string, tier: string, isMember: (group: string, member: string) => boolean): boolean {
  for (const rule of rules) {
    const matches = rule.subtree !== undefined ? isUnder(norm, normalizeDn(rule.subtree)) : rule.group !== undefined && isMember(rule.group, norm);
    if (matches) return (TIER_RANK[tier] ?? 2) > (TIER_RANK[rule.lowestTier] ?? 2);
  }
  return false;
}

export interface CredentialFacts {
  rules(): readonly CredentialRule[];
  isMember(group: string, member: string): boolean;
}

/** The policy and group membership as a node's store holds them (`read` is store.get). */
export function credentialFacts(read: (dataset: string, key: string) => unknown, baseDn: () => string | undefined): CredentialFacts {
  return {
    rules: () => {
      const base = baseDn();
      return base === undefined ? [] : ((read(dirDataset(base), POLICY_KEY) as CredentialRule[] | undefined) ?? []);
    },
    isMember: (group, member) => {
      const base = baseDn();
      const place = base === undefined ? undefined : placeOf(group, base);
      const entry = place && (read(place.dataset, dnKey(normalizeDn(group))) as DirEntry | undefined);
      return entry !== undefined && [...valuesOf(entry, 'member'), ...valuesOf(entry, 'uniqueMember')].some((m) => {
        try {
          return normalizeDn(m) === member;
        } catch {
          return false;
        }
      });
    },
  };
}

/**
 * What a parent sends a child of `tier` for a `dir:` dataset: credential
 * records the policy holds back become deletes in the change stream (the
 * seq stays contiguous) and are left out of snapshots.
 */
export function credentialFilter(facts: CredentialFacts, tier: string): { change(change: Change): Change; entry(entry: Entry): Entry | undefined } {
  // The policy is read once per filter (one batch of changes, one snapshot): an import of 100,000
  // users read it from the store for each password record sent to each child.
  let rules: readonly CredentialRule[] | undefined;
  const hidden = (key: string): boolean => key.endsWith(CREDENTIAL_SUFFIX) && withheld((rules ??= facts.rules()), dnOfKey(key.slice(0, -CREDENTIAL_SUFFIX.length)), tier, facts.isMember);
  return {
    change: (change) => (change.op === 'put' && hidden(change.key) ? { dataset: change.dataset, epoch: change.epoch, seq: change.seq, op: 'delete', key: change.key, timeMs: change.timeMs } : change),
    entry: (entry) => (hidden(entry.key) ? undefined : entry),
  };
}
