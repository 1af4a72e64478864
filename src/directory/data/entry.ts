// A directory entry as stored in a dataset: its DN as written and its
// attributes by name (names keep their case, lookups ignore it). Pure value
// helpers; no access control, no schema beyond what every LDAP server checks.

export interface DirEntry {
  /** The DN as the writer gave it (tidied). */
  dn: string;
  attrs: Record<string, string[]>;
}

/** The attributes every node computes and nobody may write (RFC 4512 operational). */
export const OPERATIONAL = new Set(['memberof', 'entrydn', 'hassubordinates', 'subschemasubentry', 'structuralobjectclass', 'entryuuid', 'modifytimestamp', 'createtimestamp']);

export const PASSWORD_ATTR = 'userpassword';

/** Attributes whose names start with '_' are internal (credentials.ts) and never shown or written by clients. */

/** Other names for userPassword (options, the OID) that would bypass hashing: refused. */
export function isPasswordAlias(lowerName: string): boolean {
  return lowerName.startsWith('userpassword;') || lowerName === '2.5.4.35' || lowerName.startsWith('2.5.4.35;');
}

export function nameOf(entry: DirEntry, attr: string): string | undefined {
  const lower = attr.toLowerCase();
  return Object.keys(entry.attrs).find((k) => k.toLowerCase() === lower);
}

export function valuesOf(entry: DirEntry, attr: string): string[] {
  const name = nameOf(entry, attr);
  return name === undefined ? [] : entry.attrs[name]!;
}

/** A copy with `attr` set to `values` (removed when empty), keeping the existing name's case. */
export function withValues(entry: DirEntry, attr: string, values: string[]): DirEntry {
  const name = nameOf(entry, attr) ?? attr;
  const attrs = { ...entry.attrs };
  if (values.length === 0) delete attrs[name];
  else attrs[name] = values;
  return { dn: entry.dn, attrs };
}

/** Case-insensitive value equality (caseIgnoreMatch, the rule of nearly every attribute here). */
export function sameValue(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export function hasValue(values: readonly string[], value: string): boolean {
  return values.some((v) => sameValue(v, value));
}
