// How link streams are opened and accepted. A node's links go over gRPC
// (mutual TLS) unless it is given another transport: the scale simulation
// runs hundreds of nodes in one process over an in-memory one (issue 13),
// with the same sessions, replication and routing on top.

import type { ChildIdentity } from '../enrolment/child-identity';
import type { LinkStream } from './link-stream';
import type { ParentRef } from './parent-ref';

export interface LinkTransport {
  /** Child side: a stream to `parent` (it ends at once if the parent cannot be reached). `self`: the dialling node. */
  dial(parent: ParentRef, self: string): LinkStream;
  /**
   * Parent side: streams children open to `address` arrive at `accept`, with
   * the identity their certificate proves (undefined without TLS, null if it
   * proves none). Returns a function that stops listening.
   */
  listen(address: string, accept: (stream: LinkStream, identity: ChildIdentity | null | undefined) => void): () => void;
  /** What a parent says of itself (for moving back to the primary): linked upward, and its datasets' heads. */
  probe(parent: ParentRef): Promise<ParentState>;
}

export interface ParentState {
  upstreamConnected: boolean;
  datasets: ReadonlyArray<{ name: string; epoch: string; seq: number }>;
  /** Its listeners ("dns", "ntp", "ldap", …), where the transport tells them. */
  services?: ReadonlyArray<{ name: string; address: string }>;
}
