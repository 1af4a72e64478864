// Where an entry lives (DESIGN §1, §5): the core owns the base DN's dataset
// (people, groups, services, everything but the sites); every other node owns
// `ou=<node>,ou=sites,<base>`. The place of a DN follows from the DN alone,
// so a node can route a write for a subtree it does not hold.

import { normalizeDn, isUnder, parseDn } from './dn';

export const DIR_DATASET_PREFIX = 'dir:';

export interface Place {
  /** Normalised DN of the subtree's root. */
  subtree: string;
  dataset: string;
  /** The owning node when the DN says it (a site subtree); '' for the core's. */
  ownerHint: string;
}

export function dirDataset(subtreeDn: string): string {
  return `${DIR_DATASET_PREFIX}${normalizeDn(subtreeDn)}`;
}

export function sitesDn(base: string): string {
  return normalizeDn(`ou=sites,${base}`);
}

/** The subtree a node owns. */
export function ownedSubtree(node: string, isCore: boolean, base: string): string {
  return isCore ? normalizeDn(base) : normalizeDn(`ou=${node},ou=sites,${base}`);
}

/** The subtree and dataset a DN belongs to; undefined when it is not under the base. */
export function placeOf(dn: string, base: string): Place | undefined {
  const target = normalizeDn(dn);
  const root = normalizeDn(base);
  if (!isUnder(target, root)) return undefined;
  const sites = sitesDn(root);
  if (target !== sites && isUnder(target, sites)) {
    const rdns = parseDn(target);
    const site = rdns[rdns.length - parseDn(sites).length - 1]!;
    if (site.length === 1 && site[0]!.type === 'ou') {
      const subtree = normalizeDn(`ou=${site[0]!.value},${sites}`);
      return { subtree, dataset: dirDataset(subtree), ownerHint: site[0]!.value };
    }
  }
  return { subtree: root, dataset: dirDataset(root), ownerHint: '' };
}

/** The subtree of a `dir:` dataset name, or undefined for other datasets. */
export function subtreeOfDataset(dataset: string): string | undefined {
  return dataset.startsWith(DIR_DATASET_PREFIX) ? dataset.slice(DIR_DATASET_PREFIX.length) : undefined;
}
