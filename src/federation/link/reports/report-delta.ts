// What a node sends up each heartbeat (issue 13): only the reports that
// changed in a way that matters (link state, parent, the datasets held, which
// of them lag, the clock's synchronisation) since the last send on this
// parent link, and every report once every `fullEvery` sends (so figures
// that drift — uptime, lag, offset — are refreshed). The first send on a new
// link is full. The parent treats a node it heard nothing new about as seen
// through the child it came by (TopologyView.touch).

import type { NodeReport } from '../../grpc/generated/strata/v1/NodeReport';

export const FULL_REPORT_EVERY = 30;

export class ReportDelta {
  private session: unknown;
  private readonly sent = new Map<string, string>();
  private sends = 0;

  constructor(private readonly fullEvery = FULL_REPORT_EVERY) {}

  /** The reports to send now on `session` (the current parent link). */
  next(session: unknown, reports: readonly NodeReport[]): NodeReport[] {
    if (session !== this.session) {
      this.session = session;
      this.sent.clear();
      this.sends = 0;
    }
    const full = this.sends++ % this.fullEvery === 0;
    const out: NodeReport[] = [];
    const names = new Set<string>();
    for (const report of reports) {
      const name = report.name ?? '';
      names.add(name);
      const key = fingerprint(report);
      if (full || this.sent.get(name) !== key) out.push(report);
      this.sent.set(name, key);
    }
    for (const name of this.sent.keys()) if (!names.has(name)) this.sent.delete(name);
    return out;
  }
}

/** The parts of a report whose change must reach the parent at once. */
function fingerprint(r: NodeReport): string {
  // A lag is sent when it starts, ends or changes its order of magnitude.
  const datasets = (r.datasets ?? []).map((d) => `${d.name}@${d.owner}~${Math.ceil(Math.log10(Number(d.lagChanges ?? 0) + 1))}`).join(',');
  const clock = r.clock ? `${r.clock.synchronized ? 's' : 'u'}${r.clock.stratum ?? ''}` : '';
  return [r.tier, r.parent, r.connected ? 1 : 0, r.grpcAddress, clock, datasets].join('|');
}
