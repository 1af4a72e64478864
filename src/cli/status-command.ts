// `strata status`: the federation as seen from one node — itself and every
// node below it (at the core: the whole tree) with link state, replication
// lag and last-seen time — as a tree in the terminal or as JSON.

import { isoTime } from '../kernel/clock';
import type { TopologyView } from '../federation/client';
import { apiClient, type TlsOptions } from './client';
import { resolveTarget } from './up/endpoints';

export interface StatusOptions extends TlsOptions {
  node?: string;
  addr?: string;
  dataDir: string;
  json: boolean;
  out: (line: string) => void;
}

type Report = TopologyView['nodes'][number];

export async function runStatus(options: StatusOptions): Promise<void> {
  const address = resolveTarget(options);
  const topology = await apiClient({ ...options, addr: address }).topology();
  if (options.json) options.out(JSON.stringify(toJson(topology), null, 2));
  else for (const line of formatTree(topology)) options.out(line);
}

export function toJson(topology: TopologyView): { node: string; nowMs: number; nodes: unknown[] } {
  return {
    node: topology.node,
    nowMs: topology.nowMs,
    nodes: topology.nodes.map((n) => ({
      name: n.name,
      tier: n.tier,
      parent: n.parent || null,
      connected: n.connected,
      lastSeenMs: n.lastSeenMs,
      grpcAddress: n.grpcAddress || null,
      uptimeMs: n.uptimeMs,
      datasets: n.datasets.map((d) => ({ name: d.name, owner: d.owner, seq: d.seq, lagChanges: d.lagChanges, lagMs: d.lagMs })),
      clock: n.clock ? { synchronized: n.clock.synchronized, stratum: n.clock.stratum, offsetMs: n.clock.offsetS * 1000, rootDispersionMs: n.clock.rootDispersionS * 1000 } : null,
    })),
  };
}

export function formatTree(topology: TopologyView): string[] {
  const byName = new Map(topology.nodes.map((n) => [n.name, n]));
  const children = new Map<string, Report[]>();
  for (const n of topology.nodes) {
    if (n.name === topology.node) continue;
    const parent = byName.has(n.parent) ? n.parent : topology.node;
    children.set(parent, [...(children.get(parent) ?? []), n]);
  }
  const lines = [`federation as seen from ${topology.node} (${topology.nodes.length} node${topology.nodes.length === 1 ? '' : 's'})`];
  const walk = (report: Report, prefix: string, last: boolean, root: boolean): void => {
    lines.push(`${root ? '' : `${prefix}${last ? '└─ ' : '├─ '}`}${describe(report, topology.nowMs, root)}`);
    const kids = (children.get(report.name) ?? []).sort((a, b) => a.name.localeCompare(b.name));
    kids.forEach((kid, i) => walk(kid, root ? '' : `${prefix}${last ? '   ' : '│  '}`, i === kids.length - 1, false));
  };
  const self = byName.get(topology.node);
  if (self) walk(self, '', true, true);
  return lines;
}

function describe(n: Report, nowMs: number, root: boolean): string {
  const maxLag = n.datasets.reduce((m, d) => (d.lagChanges > m.lagChanges ? d : m), { lagChanges: 0, lagMs: 0 } as { lagChanges: number; lagMs: number });
  const lost = n.tier !== 'core' && !n.connected && !root;
  const ago = Number(n.lastSeenMs) > 0 ? `${formatDuration(nowMs - Number(n.lastSeenMs))} ago` : 'never';
  // What a lost node last said is history: say how old it is, not "in sync".
  const lag = lost ? `lag unknown (last report ${ago})` : maxLag.lagChanges > 0 ? `lag ${maxLag.lagChanges} changes / ${maxLag.lagMs} ms` : 'in sync';
  let state: string;
  if (n.tier === 'core') state = 'core';
  else if (n.connected) state = `linked to ${n.parent || '?'}`;
  else state = root ? `NO PARENT LINK` : Number(n.lastSeenMs) > 0 ? `LOST: not heard from since ${isoTime(Number(n.lastSeenMs))} (${ago})` : 'LOST: never heard from';
  const clock = lost && n.clock ? `, clock as last reported (${ago})${clockText(n.clock)}` : clockText(n.clock);
  return `${n.name} (${n.tier})  ${state}  ${n.datasets.length} datasets, ${lag}${clock}`;
}

/** ", stratum 12, offset +0.040 ms", or ", time NOT synchronised". */
export function clockText(clock: Report['clock']): string {
  if (!clock) return '';
  if (!clock.synchronized) return ', time NOT synchronised';
  const ms = clock.offsetS * 1000;
  return `, stratum ${clock.stratum}, offset ${ms >= 0 ? '+' : ''}${ms.toFixed(3)} ms`;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(s / 3600);
  return h < 48 ? `${h}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : `${Math.floor(h / 24)}d${h % 24}h`;
}
