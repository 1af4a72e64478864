// Which node may own which dataset (DESIGN §1, §7 trust model), by the
// dataset's name alone: the core owns the federation-wide datasets
// (settings, the certificate registry, the directory base, the federation
// zone); every other node owns exactly `services:<name>`,
// `dir:ou=<name>,ou=sites,<base>` and a zone `<name>.….<domain>` under the
// federation domain. A claim that breaks this (a site sending `zone:com.`
// or someone else's subtree as its own) is refused on every link, so a
// compromised site can never make others serve data it does not own.

import { DIR_DATASET_PREFIX, normalizeDn } from '../../directory';
import { SERVICES_DATASET_PREFIX, ZONE_DATASET_PREFIX } from '../../naming';

/** The federation-wide settings (the core's; api/settings-service.ts serves them). */
export const SETTINGS_DATASET = 'settings';
/** The certificate registry and revocation list (the core's; enrolment/pki.ts reads it). */
export const PKI_DATASET = 'pki';

export interface FederationNames {
  /** With trailing dot, lower case. */
  domain: string;
  /** Normalised. */
  baseDn: string;
  /** The zone a node's placement gives it (with trailing dot), when the certificate registry knows it. */
  zoneOf?(node: string): string | undefined;
}

const CORE_ONLY = new Set([SETTINGS_DATASET, PKI_DATASET]);

/** Is `dataset` one the core owns (whoever the core is)? */
export function coreOwned(dataset: string, names: FederationNames): boolean {
  if (CORE_ONLY.has(dataset)) return true;
  if (dataset === `${DIR_DATASET_PREFIX}${names.baseDn}`) return true;
  return dataset === `${ZONE_DATASET_PREFIX}${names.domain}`;
}

/** May a node other than the core, named `owner`, own `dataset`? */
export function nodeMayOwn(dataset: string, owner: string, names: FederationNames): boolean {
  if (dataset === `${SERVICES_DATASET_PREFIX}${owner}`) return true;
  if (dataset.startsWith(DIR_DATASET_PREFIX)) {
    try {
      return dataset.slice(DIR_DATASET_PREFIX.length) === normalizeDn(`ou=${owner},ou=sites,${names.baseDn}`);
    } catch {
      return false;
    }
  }
  if (dataset.startsWith(ZONE_DATASET_PREFIX)) {
    const zone = dataset.slice(ZONE_DATASET_PREFIX.length).toLowerCase();
    const placed = names.zoneOf?.(owner);
    if (placed !== undefined) return zone === placed; // exactly the one zone its placement gives it
    return zone.startsWith(`${owner}.`) && zone.endsWith(`.${names.domain}`);
  }
  return false;
}
