// `strata status`: what a node reports about itself, as text or JSON.
// (The whole tree arrives with the topology service.)

import { SystemClock } from '../kernel/clock';
import { fetchNodeStatus, type NodeStatusView } from '../federation/status-client';
import { resolveTarget } from './endpoints';

export interface StatusOptions {
  node?: string;
  addr?: string;
  dataDir: string;
  json: boolean;
  out: (line: string) => void;
}

export async function runStatus(options: StatusOptions): Promise<void> {
  const address = resolveTarget(options);
  const status = await fetchNodeStatus(address, new SystemClock());
  if (options.json) options.out(JSON.stringify({ nodes: [toJson(status)] }, null, 2));
  else for (const line of formatStatus(status)) options.out(line);
}

function toJson(s: NodeStatusView): Record<string, unknown> {
  return {
    name: s.name,
    tier: s.tier,
    parent: s.parents[0]?.name ?? null,
    parents: s.parents,
    pid: s.pid,
    uptimeMs: s.uptimeMs,
    startedAtMs: s.startedAtMs,
    versions: s.versions,
    services: Object.fromEntries(s.services.map((e) => [e.name, e.address])),
    federationDomain: s.federationDomain || null,
    baseDn: s.baseDn || null,
    datasets: s.datasets.map((d) => ({ name: d.name, owner: d.owner, role: d.role, epoch: d.epoch, seq: d.seq, firstSeq: d.firstSeq, entries: d.entries })),
  };
}

export function formatStatus(s: NodeStatusView): string[] {
  const lines = [
    `node ${s.name} (${s.tier})  pid ${s.pid}  up ${formatDuration(s.uptimeMs)}  strata ${s.versions?.strata ?? '?'}  node ${s.versions?.node ?? '?'}`,
    `parents: ${s.parents.map((p, i) => `${p.name} ${p.address}${i === 0 ? ' (primary)' : ''}`).join(', ') || 'none (this is the core)'}`,
    `serving: ${s.services.map((e) => `${e.name} ${e.address}`).join(', ')}`,
  ];
  if (s.federationDomain) lines.push(`federation: ${s.federationDomain} ${s.baseDn}`);
  if (s.datasets.length === 0) {
    lines.push('datasets: none');
    return lines;
  }
  lines.push('datasets:');
  const rows = [['NAME', 'OWNER', 'ROLE', 'SEQ', 'ENTRIES', 'EPOCH'], ...s.datasets.map((d) => [d.name, d.owner, d.role, String(d.seq), String(d.entries), d.epoch])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) lines.push(`  ${row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}`);
  return lines;
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(s / 3600);
  return h < 48 ? `${h}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : `${Math.floor(h / 24)}d${h % 24}h`;
}
