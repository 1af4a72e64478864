// The trust side of one node's federation (DESIGN §7), in one place: the
// certificate registry as held here, which children it admits, and how, as
// an owner, it authorises writes forwarded to it (operators' signed calls,
// LDAP principals); plus the placement facts these need (the core's name,
// the zone a node's placement gives it). Links, flows and routing are
// federation.ts's.

import type { Clock } from '../../kernel/clock';
import type { Logger } from '../../kernel/log';
import type { CredentialFacts } from '../../directory';
import { canonical } from '../../naming';
import type { Mutation, Store } from '../../store';
import { ChildAdmission } from './child-admission';
import { directoryPrincipalCheck } from './directory-principal';
import type { TlsIdentity } from '../grpc/grpc-adapter';
import type { LinkSession } from '../link/link-session';
import { ProofChecker } from './operator-proof';
import { ownerAuthority, type OwnerAuthorityDeps } from './owner-authority';
import { PkiView } from './pki';
import type { ForwardedWriteAuthority } from '../writes/write-router';

export interface TrustDeps {
  name: string;
  tier: string;
  tls(): TlsIdentity | undefined;
  /** The store once federation has started. */
  startedStore(): Store | undefined;
  federation(): { domain: string; baseDn: string } | undefined;
  ancestors(): string[];
  children: { get(name: string): LinkSession | undefined; values(): IterableIterator<LinkSession> };
  parentSession(): LinkSession | undefined;
  credentials(): CredentialFacts;
  /** Runs a unary gRPC method here (an operator's forwarded call). */
  invoke(methodPath: string, request: Buffer): Promise<unknown>;
  clock: Clock;
  logger: Logger;
}

export class FederationTrust {
  private openedStore: Store | undefined;
  /** The registry is read from the store as soon as it is open (revocation holds while the rest starts). */
  readonly pki = new PkiView(() => this.d.startedStore() ?? this.openedStore);
  readonly admission: ChildAdmission;
  private readonly proofs: ProofChecker;
  private directoryAuthority: OwnerAuthorityDeps['directory'] | undefined;

  constructor(private readonly d: TrustDeps) {
    this.admission = new ChildAdmission({
      self: () => d.name,
      knowsFederation: () => d.federation() !== undefined,
      pki: this.pki,
      placements: () => this.placements(),
      child: (name) => d.children.get(name),
      children: () => d.children.values(),
    });
    this.proofs = new ProofChecker(() => d.tls()?.caPem, this.pki);
  }

  /** The node's store, open (before start): for the certificate registry only. */
  storeOpened(store: Store): void {
    this.openedStore = store;
  }

  /** The registry to check placements with; undefined in plaintext mode (nothing to check against). */
  placements(): PkiView | undefined {
    return this.d.tls() ? this.pki : undefined;
  }

  /** The core's name: this node, or the last of its ancestors. */
  coreName(): string | undefined {
    const ancestors = this.d.ancestors();
    return this.d.tier === 'core' ? this.d.name : ancestors[ancestors.length - 1];
  }

  /** The zone `node`'s placement gives it (canonical, no trailing dot); undefined in plaintext mode or when not known. */
  placedZone(node: string): string | undefined {
    const core = this.coreName();
    const domain = this.d.federation()?.domain;
    return this.d.tls() && core && domain ? this.pki.zoneOf(node, core, canonical(domain)) : undefined;
  }

  /** The directory's rules for a change forwarded as an LDAP principal (owner side); set once the directory runs. */
  checkDirectoryChanges(checkChange: (principalDn: string, dataset: string, mutations: Mutation[]) => string | undefined): void {
    const d = this.d;
    this.directoryAuthority = directoryPrincipalCheck({
      self: d.name, tier: d.tier, pki: this.pki, caPem: () => d.tls()?.caPem, credentials: d.credentials(), checkChange,
      nowMs: () => d.clock.nowMs(), coreName: () => this.coreName(), fromParent: (from) => from === d.parentSession(),
    });
  }

  /** How this node, as an owner, decides on writes forwarded to it. */
  ownerAuthority(store: () => Store): ForwardedWriteAuthority {
    const d = this.d;
    return ownerAuthority({
      self: d.name,
      store,
      secure: () => d.tls() !== undefined,
      proofs: this.proofs,
      invoke: (method, request) => d.invoke(method, request),
      directory: (principal, request, mutations, from) => (this.directoryAuthority ? this.directoryAuthority(principal, request, mutations, from) : 'this node does not serve the directory'),
      clock: d.clock,
      refused: (dataset, sender, why) => d.logger.warn({ dataset, sender, why }, 'refused a forwarded write'),
    });
  }
}
