// The federation as this node knows it: its own report plus the latest report
// of every node below it, with when it was last heard from. A node whose link
// ended keeps its last report, marked not connected, with "last seen" — a
// partition and a crash look alike from here, so we never guess which.

import type { NodeReport, NodeReport__Output } from '../../grpc/generated/strata/v1/NodeReport';

export type { NodeReport };

interface Known {
  report: NodeReport;
  /** Our clock when we last heard of it (directly or through its parent). */
  lastSeenMs: number;
}

/**
 * What each child link said about each node. A node can be reported through
 * more than one (it re-parented; a stolen certificate linked it directly for
 * a moment): every source is kept, and the best one answers — connected
 * before not connected, the node itself before a report about it, then the
 * freshest. So when one source goes quiet or its link ends, the next best is
 * there at once (children send reports only when they change: there may be
 * no new one to wait for).
 */
export class TopologyView {
  private readonly known = new Map<string, Map<string, Known>>();

  /** A child sent reports for itself and its subtree. */
  update(via: string, reports: readonly NodeReport__Output[], nowMs: number): void {
    for (const r of reports) {
      const lastSeenMs = r.name === via ? nowMs : Number(r.lastSeenMs);
      let sources = this.known.get(r.name);
      if (!sources) this.known.set(r.name, (sources = new Map()));
      sources.set(via, { report: { ...r, lastSeenMs }, lastSeenMs });
    }
  }

  /** A status message came from child `via`: every node connected through it is seen now (reports say only what changed). */
  touch(via: string, nowMs: number): void {
    for (const sources of this.known.values()) {
      const entry = sources.get(via);
      if (entry?.report.connected) entry.lastSeenMs = nowMs;
    }
  }

  /** The link to `via` ended: it and what it reported are no longer connected through it. */
  linkLost(via: string): void {
    for (const sources of this.known.values()) {
      const entry = sources.get(via);
      if (entry) entry.report = { ...entry.report, connected: false };
    }
  }

  /** Which child link leads to `node`: the one its best report came through. */
  routeTo(node: string): string | undefined {
    return this.best(node)?.via;
  }

  has(name: string): boolean {
    return this.known.has(name);
  }

  names(): string[] {
    return [...this.known.keys()];
  }

  /** Reports of everyone known below us, for our own status report upward or a query. */
  reports(): NodeReport[] {
    return this.names().map((name) => {
      const { entry } = this.best(name)!;
      return { ...entry.report, lastSeenMs: entry.lastSeenMs };
    });
  }

  private best(name: string): { via: string; entry: Known } | undefined {
    let best: { via: string; entry: Known } | undefined;
    const rank = (via: string, e: Known): [number, number, number] => [e.report.connected ? 1 : 0, via === name ? 1 : 0, e.lastSeenMs];
    for (const [via, entry] of this.known.get(name) ?? []) {
      if (!best) {
        best = { via, entry };
        continue;
      }
      const [a, b] = [rank(via, entry), rank(best.via, best.entry)];
      if (a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] > b[2]) best = { via, entry };
    }
    return best;
  }
}
