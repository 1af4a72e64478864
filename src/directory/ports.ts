// What the directory needs from the rest of the node, declared here and
// implemented by federation (STYLE habit 7): the base DN, routing a write to
// its owner, where to refer clients for subtrees not held here, and a parent
// that can check a password this node does not hold.

import type { Mutation } from '../store';
import type { DirEntry } from './data/entry';

/** 'locked': the node that holds the hash is throttling binds for this entry. */
export type ChainedBind = 'ok' | 'invalid' | 'unavailable' | 'locked';

/** A chained check's answer; with 'ok', the checking node's proof (opaque here) for writes made as the principal. */
export interface ChainedAnswer {
  result: ChainedBind;
  ticket?: unknown;
}

/** Who an LDAP write is made as, for the owner to authorise (and a chained bind's ticket, if any). */
export interface WritePrincipal {
  dn: string;
  ticket?: unknown;
}

export interface DirectoryPorts {
  readonly nodeName: string;
  readonly isCore: boolean;
  /** The federation's base DN, once known (from config at the core, from the parent elsewhere). */
  baseDn(): string | undefined;
  /**
   * Apply `mutations` at the owner of `dataset` (here if owned, else along
   * the tree) and return once the change is visible at this node. Throws the
   * owner's typed errors (AlreadyExists, NotFound, Aborted) or Unavailable.
   */
  write(dataset: string, mutations: Mutation[], ownerHint: string): Promise<void>;
  /** ldap://host:port of the current (else first known) parent; undefined at the core. */
  parentLdapUrl(): string | undefined;
  /**
   * An entry of a subtree not held here, as the nearest node above that holds
   * it stores it (no password hashes), and whether it has children. Throws
   * UnavailableError when no parent answers. `hops`: nodes already passed.
   */
  fetchEntry(dn: string, hops: number): Promise<{ entry: DirEntry | undefined; hasChildren: boolean }>;
  /** Ask up the tree to check a password whose hash is not held here; `hops`: nodes the check already passed. */
  chainBind(dn: string, password: string, hops: number): Promise<ChainedAnswer>;
  /** Runs `fn` (an LDAP operation) so that any write it forwards carries `principal` to the owner. */
  asPrincipal<T>(principal: WritePrincipal | undefined, fn: () => T): T;
}
