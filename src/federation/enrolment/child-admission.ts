// Which children a parent takes, and what it takes from them (DESIGN §7
// trust model): a child's certificate decides who it is, its tier (which
// password hashes it may hold) and where it belongs. A parent takes only
// children the core placed under it, with a certificate not revoked, one
// live link per name (the first holds until it is lost); a child speaks in
// status reports and forwarded writes for itself and for nodes placed under
// it only; a link whose certificate is revoked later is closed.

import { isoTime } from '../../kernel/clock';
import { PermissionDeniedError } from '../../kernel/errors';
import type { ChildIdentity } from './child-identity';
import type { NodeReport__Output } from '../grpc/generated/strata/v1/NodeReport';
import type { LinkSession, PeerView } from '../link/link-session';
import type { PkiView } from './pki';

export interface AdmissionFacts {
  self(): string;
  /** Has this node learned the federation (from config, or from its parent)? */
  knowsFederation(): boolean;
  pki: PkiView;
  /** The certificate registry to check placements with; undefined in plaintext mode. */
  placements(): PkiView | undefined;
  child(name: string): LinkSession | undefined;
  children(): Iterable<LinkSession>;
}

export class ChildAdmission {
  private readonly identities = new WeakMap<LinkSession, ChildIdentity>();

  constructor(private readonly f: AdmissionFacts) {}

  /** Why this child may not link here (undefined: it may); remembers its identity when it may. */
  admit(session: LinkSession, peer: PeerView, identity: ChildIdentity | undefined): string | undefined {
    const refusal = this.refusal(peer, identity);
    if (!refusal && identity) this.identities.set(session, identity);
    return refusal;
  }

  private refusal(peer: PeerView, identity: ChildIdentity | undefined): string | undefined {
    const { name, tier } = peer;
    const self = this.f.self();
    if (!this.f.knowsFederation()) return `${self} does not know the federation yet (it has not linked to its own parent); try another parent`;
    if (identity !== undefined) {
      if (identity.name !== name || identity.tier !== tier) return `the certificate is for ${identity.tier ?? 'a'} node ${identity.name}, but the link says ${tier} node ${name}`;
      if (!identity.parents?.includes(self)) {
        return `the certificate of ${name} places it under ${identity.parents?.join(', ') || 'no parent'}, not under ${self}; re-place a node by enrolling it again (\`strata join-token ${name} --parents … --replace\`)`;
      }
      const revoked = this.f.pki.revoked(identity.serial);
      if (revoked) return `the certificate of ${name} (serial ${identity.serial}) was revoked at ${isoTime(revoked.revokedAtMs)}: ${revoked.reason}`;
    }
    const existing = this.f.child(name);
    if (existing && !existing.ended) return `node ${name} is linked here already (a second live link for one name is refused; the first holds until it is lost)`;
    return undefined;
  }

  /** May this child speak for `node` (itself, or a node the core placed under it; anything in plaintext mode)? */
  speaksFor(child: string, node: string): boolean {
    const pki = this.f.placements();
    return node === child || (node !== this.f.self() && (!pki || pki.isUnder(node, child)));
  }

  /** The registry changed: links whose certificate is now revoked are closed. */
  dropRevoked(): void {
    for (const session of this.f.children()) {
      const identity = this.identities.get(session);
      const revoked = identity && this.f.pki.revoked(identity.serial);
      if (revoked) session.close(`certificate of ${identity.name} revoked: ${revoked.reason}`);
    }
  }

  /** The nodes of a child's status report it may speak for: itself and those placed under it. */
  ownReports(child: string, nodes: NodeReport__Output[]): NodeReport__Output[] {
    return nodes.filter((n) => this.speaksFor(child, n.name ?? ''));
  }

  /** A child forwards writes for itself, or relays them for a node placed under it (the owner authorises by that origin). */
  checkOrigin(child: string, origin: string): void {
    const pki = this.f.placements();
    if (pki && origin !== child && !pki.isUnder(origin, child)) throw new PermissionDeniedError(`${child} forwarded a write as coming from ${origin}, which is not placed under it; refused`);
  }
}
