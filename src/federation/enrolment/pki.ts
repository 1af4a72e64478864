// The federation's certificate registry (DESIGN §7 trust model), a dataset
// the core owns and every node replicates: for each enrolled node its tier,
// placement (parents) and current certificate serial; and the revocation
// list. Parents check linking children against it, every node checks API
// callers against it, and a parent learns from it which nodes a child may
// relay for (those placed under it). The core writes it when it issues a
// certificate (Join) or revokes one (`strata revoke`). It holds no keys.

import type { Mutation, Store } from '../../store';

export { PKI_DATASET } from '../link/ownership';
import { PKI_DATASET } from '../link/ownership';
const NODE_PREFIX = 'node/';
const REVOKED_PREFIX = 'revoked/';

export interface IssuedNode {
  tier: string;
  /** Primary first. */
  parents: string[];
  /** Upper-case hex serial of the node's current certificate. */
  serial: string;
  issuedAtMs: number;
}

export interface Revocation {
  /** The name the certificate was issued to (a node, or `operator:<name>`). */
  name: string;
  revokedAtMs: number;
  reason: string;
}

/** What the registry says, read from the local replica (nothing is known before it has arrived). */
export class PkiView {
  constructor(private readonly store: () => Store | undefined) {}

  private get(key: string): unknown {
    const store = this.store();
    return store?.dataset(PKI_DATASET) ? store.get(PKI_DATASET, key) : undefined;
  }

  held(): boolean {
    return this.store()?.dataset(PKI_DATASET) !== undefined;
  }

  node(name: string): IssuedNode | undefined {
    return this.get(`${NODE_PREFIX}${name}`) as IssuedNode | undefined;
  }

  revoked(serial: string): Revocation | undefined {
    return this.get(`${REVOKED_PREFIX}${serial.toUpperCase()}`) as Revocation | undefined;
  }

  /** The zone `node` owns by its placement: `<node>.<its primary parent's zone>`, the core's being `domain`; undefined if not known. */
  zoneOf(node: string, core: string, domain: string): string | undefined {
    const chain: string[] = [];
    for (let name: string | undefined = node; name !== core; name = this.node(name)?.parents[0]) {
      if (name === undefined || chain.includes(name) || chain.length > 32) return undefined;
      chain.push(name);
    }
    return [...chain, domain].join('.');
  }

  /** Is `node` placed under `ancestor` (a parent of it, or of one of its parents…)? By the placements the core issued. */
  isUnder(node: string, ancestor: string): boolean {
    const seen = new Set<string>();
    const queue = [node];
    while (queue.length > 0) {
      const name = queue.shift()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const parents = this.node(name)?.parents ?? [];
      if (parents.includes(ancestor)) return true;
      queue.push(...parents);
    }
    return false;
  }
}

/** The registry changes for a certificate issued to `name`; the one it replaces (if any) is revoked. */
export function issuedMutations(name: string, issued: IssuedNode, previous: IssuedNode | undefined, reason = 'replaced by a new enrolment'): Mutation[] {
  const mutations: Mutation[] = [{ op: 'put', key: `${NODE_PREFIX}${name}`, value: issued }];
  if (previous && previous.serial !== issued.serial) mutations.push(revocationMutation(previous.serial, { name, revokedAtMs: issued.issuedAtMs, reason }));
  return mutations;
}

export function revocationMutation(serial: string, revocation: Revocation): Mutation {
  return { op: 'put', key: `${REVOKED_PREFIX}${serial.toUpperCase()}`, value: revocation };
}

/** The registry changes that take `name` out of the federation: its certificate revoked, its entry removed. */
export function revokeNodeMutations(name: string, current: IssuedNode, nowMs: number, reason: string): Mutation[] {
  return [revocationMutation(current.serial, { name, revokedAtMs: nowMs, reason }), { op: 'delete', key: `${NODE_PREFIX}${name}` }];
}
