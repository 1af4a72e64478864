// This node's line in the topology reports it sends up the tree: link state,
// clock, and lag per replicated dataset against the freshest head any
// neighbour (parent or child) announced. Pure: the facts come in.

import type { DatasetInfo } from '../../../store';
import type { NodeReport } from '../../grpc/generated/strata/v1/NodeReport';

export interface SelfFacts {
  name: string;
  tier: string;
  parent: string;
  connected: boolean;
  nowMs: number;
  datasets: DatasetInfo[];
  /** Link sessions (undefined entries ignored) with the heads their senders announced. */
  sessions: Array<{ heads: ReadonlyMap<string, { seq: number; timeMs: number }> } | undefined>;
  grpcAddress: string;
  startedAtMs: number;
  clock: NodeReport['clock'];
}

export function selfReport(facts: SelfFacts): NodeReport {
  const heads = new Map<string, { seq: number; timeMs: number }>();
  for (const session of facts.sessions) {
    for (const [name, head] of session?.heads ?? []) if ((heads.get(name)?.seq ?? -1) < head.seq) heads.set(name, head);
  }
  const datasets = facts.datasets.map((d) => {
    const head = d.role === 'replica' ? heads.get(d.name) : undefined;
    const lagChanges = head && head.seq > d.seq ? head.seq - d.seq : 0;
    return { name: d.name, owner: d.owner, seq: d.seq, lagChanges, lagMs: lagChanges > 0 ? Math.max(0, facts.nowMs - head!.timeMs) : 0 };
  });
  return {
    name: facts.name,
    tier: facts.tier,
    parent: facts.parent,
    connected: facts.connected,
    lastSeenMs: facts.nowMs,
    datasets,
    grpcAddress: facts.grpcAddress,
    uptimeMs: Math.max(0, facts.nowMs - facts.startedAtMs),
    clock: facts.clock,
  };
}
