// The operations listener: /healthz (process alive), /readyz (serving),
// /metrics (Prometheus), and / (a small status page). Read-only; it never
// changes node state.

import { isoTime } from '../kernel/clock';
import http from 'node:http';
import { ListenError } from '../kernel/errors';
import { formatHostPort, type HostPort } from '../kernel/host-port';
import type { Metrics } from '../kernel/metrics';
import type { NodeStatus } from '../federation/api/status-service';
import type { NodeReport } from '../federation/link/reports/topology-view';

export interface OpsSource {
  ready(): boolean;
  nodeStatus(): NodeStatus;
  /** This node and the nodes below it, as `strata status` shows them. */
  topology(): { nowMs: number; nodes: NodeReport[] };
}

export class OpsHttpServer {
  private readonly server: http.Server;

  constructor(private readonly source: OpsSource, private readonly metrics: Metrics) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 2000;
  }

  listen(address: HostPort): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        const why = err.code === 'EADDRINUSE' ? 'address already in use; is another Strata node running? Choose another port' : String(err.code ?? err.message);
        reject(new ListenError(`cannot listen for HTTP on ${formatHostPort(address)}: ${why}`, { cause: err }));
      };
      this.server.once('error', onError);
      this.server.listen(address.port, address.host, () => {
        this.server.off('error', onError);
        const bound = this.server.address();
        resolve(typeof bound === 'object' && bound ? bound.port : address.port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
    switch (url) {
      case '/healthz':
        return send(res, 200, 'text/plain', 'ok\n');
      case '/readyz':
        return this.source.ready() ? send(res, 200, 'text/plain', 'ready\n') : send(res, 503, 'text/plain', 'not ready\n');
      case '/metrics':
        return send(res, 200, this.metrics.contentType, await this.metrics.render());
      case '/':
        return send(res, 200, 'text/html; charset=utf-8', statusPage(this.source.nodeStatus(), this.source.topology()));
      default:
        return send(res, 404, 'text/plain', 'not found: try /, /healthz, /readyz or /metrics\n');
    }
  }
}

function send(res: http.ServerResponse, code: number, type: string, body: string): void {
  res.writeHead(code, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The tree below this node, one row per node, indented by depth. */
function treeRows(topology: { nowMs: number; nodes: NodeReport[] }): string {
  const byParent = new Map<string, NodeReport[]>();
  const names = new Set(topology.nodes.map((n) => n.name));
  const root = topology.nodes[0];
  for (const n of topology.nodes.slice(1)) {
    const parent = n.parent && names.has(n.parent) ? n.parent : root?.name ?? '';
    byParent.set(parent, [...(byParent.get(parent) ?? []), n]);
  }
  const rows: string[] = [];
  const walk = (n: NodeReport, depth: number): void => {
    const datasets = n.datasets ?? [];
    const lag = datasets.reduce((m, d) => Math.max(m, Number(d.lagChanges ?? 0)), 0);
    const lagMs = datasets.reduce((m, d) => Math.max(m, Number(d.lagMs ?? 0)), 0);
    const lastSeen = Number(n.lastSeenMs ?? 0);
    const linked = n.tier === 'core' || n.connected;
    // This node itself, cut off: it has no parent link (it is the one answering); a node below that stopped reporting is lost.
    const lost = !linked && depth > 0;
    const ago = lastSeen > 0 ? `${Math.round((topology.nowMs - lastSeen) / 1000)} s ago` : 'never';
    let state = `linked${n.parent ? ` to ${esc(n.parent)}` : ''}`;
    if (!linked) state = lost ? `<b>LOST</b>: ${lastSeen > 0 ? `not heard from since ${esc(isoTime(lastSeen))} (${ago})` : 'never heard from'}` : '<b>NO PARENT LINK</b>: serving what it holds';
    // What a lost node last said is history: say how old it is, not "in sync".
    const lagCell = lost ? `unknown (last report ${ago})` : lag ? `${lag} changes / ${lagMs} ms` : 'in sync';
    const clock = lost ? (n.clock ? `last reported ${ago}: ${clockCell(n.clock)}` : 'unknown') : clockCell(n.clock);
    rows.push(`<tr><td style="padding-left:${depth * 1.5}em">${esc(n.name)}</td><td>${esc(n.tier)}</td><td>${state}</td><td>${datasets.length}</td><td>${lagCell}</td><td>${clock}</td></tr>`);
    for (const child of (byParent.get(n.name ?? '') ?? []).sort((a, b) => String(a.name).localeCompare(String(b.name)))) walk(child, depth + 1);
  };
  if (root) walk(root, 0);
  return rows.join('');
}

function clockCell(clock: NodeReport['clock']): string {
  if (!clock) return '–';
  if (!clock.synchronized) return '<b>not synchronised</b>';
  const ms = Number(clock.offsetS ?? 0) * 1000;
  return `stratum ${esc(clock.stratum)}, offset ${ms >= 0 ? '+' : ''}${esc(ms.toFixed(3))} ms`;
}

function statusPage(status: NodeStatus, topology: { nowMs: number; nodes: NodeReport[] }): string {
  const rows = (status.datasets ?? [])
    .map((d) => `<tr><td>${esc(d.name)}</td><td>${esc(d.owner)}</td><td>${esc(d.role)}</td><td>${esc(d.seq)}</td></tr>`)
    .join('');
  const services = (status.services ?? []).map((s) => `<li>${esc(s.name)}: ${esc(s.address)}</li>`).join('');
  return `<!doctype html><html><head><title>Strata ${esc(status.name)}</title><meta http-equiv="refresh" content="5"></head><body>
<h1>Strata node ${esc(status.name)} (${esc(status.tier)})</h1>
<p>parents: ${esc((status.parents ?? []).map((p) => p.name).join(', ') || 'none')}; uptime ${esc(Math.round(Number(status.uptimeMs) / 1000))} s</p>
<h2>Federation as seen from here</h2><table border="1" cellpadding="3"><tr><th>node</th><th>tier</th><th>link</th><th>datasets</th><th>lag</th><th>clock</th></tr>${treeRows(topology)}</table>
<h2>Services</h2><ul>${services}</ul>
<h2>Datasets</h2><table border="1"><tr><th>dataset</th><th>owner</th><th>role</th><th>seq</th></tr>${rows}</table>
</body></html>\n`;
}
