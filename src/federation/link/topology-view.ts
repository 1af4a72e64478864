// The federation as this node knows it: its own report plus the latest report
// of every node below it, with when it was last heard from. A node whose link
// ended keeps its last report, marked not connected, with "last seen" — a
// partition and a crash look alike from here, so we never guess which.

import type { NodeReport, NodeReport__Output } from '../grpc/generated/strata/v1/NodeReport';

export type { NodeReport };

interface Known {
  report: NodeReport;
  /** Our clock when we last heard of it (directly or through its parent). */
  lastSeenMs: number;
  /** The child link through which it was reported. */
  via: string;
}

export class TopologyView {
  private readonly known = new Map<string, Known>();

  /** A child sent reports for itself and its subtree. */
  update(via: string, reports: readonly NodeReport__Output[], nowMs: number): void {
    for (const r of reports) {
      const direct = r.name === via;
      const lastSeenMs = direct ? nowMs : Number(r.lastSeenMs);
      const known = this.known.get(r.name);
      // A report about a node we hear from directly, or a fresher one, wins; an old
      // "not connected" from a former parent must not hide where the node is now.
      if (known && !direct && known.via !== via && (known.lastSeenMs > lastSeenMs || (known.report.connected && !r.connected))) continue;
      this.known.set(r.name, { report: { ...r, lastSeenMs }, lastSeenMs, via });
    }
  }

  /** A status message came from child `via`: every node connected through it is seen now (reports say only what changed). */
  touch(via: string, nowMs: number): void {
    for (const entry of this.known.values()) {
      if (entry.via === via && entry.report.connected) entry.lastSeenMs = nowMs;
    }
  }

  /** The link to `via` ended: it and what it reported are no longer connected through it. */
  linkLost(via: string): void {
    for (const entry of this.known.values()) {
      if (entry.via === via) entry.report = { ...entry.report, connected: false };
    }
  }

  /** Which child link leads to `node`, if it is known to be below us and connected. */
  routeTo(node: string): string | undefined {
    const entry = this.known.get(node);
    return entry ? entry.via : undefined;
  }

  names(): string[] {
    return [...this.known.keys()];
  }

  /** Reports of everyone known below us, for our own status report upward or a query. */
  reports(): NodeReport[] {
    return [...this.known.values()].map((k) => ({ ...k.report, lastSeenMs: k.lastSeenMs }));
  }
}
