// Directory entries as they cross the API (strata.v1.DirectoryEntry: a DN
// and attributes as a list) and as the directory and the CLI hold them.

import type { DirEntry } from '../../directory';
import type { DirectoryEntry, DirectoryEntry__Output } from '../grpc/generated/strata/v1/DirectoryEntry';

export function toWire(entry: DirEntry): DirectoryEntry {
  return { dn: entry.dn, attributes: Object.entries(entry.attrs).map(([name, values]) => ({ name, values })) };
}

export function fromWire(entry: DirectoryEntry__Output): DirEntry {
  const attrs: Record<string, string[]> = {};
  for (const a of entry.attributes) attrs[a.name] = [...(attrs[a.name] ?? []), ...a.values];
  return { dn: entry.dn, attrs };
}
