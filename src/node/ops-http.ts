// The operations listener: /healthz (process alive), /readyz (serving),
// /metrics (Prometheus), and / (a small status page). Read-only; it never
// changes node state.

import http from 'node:http';
import { ListenError } from '../kernel/errors';
import { formatHostPort, type HostPort } from '../kernel/host-port';
import type { Metrics } from '../kernel/metrics';
import type { NodeStatus } from '../federation/status-service';

export interface OpsSource {
  ready(): boolean;
  nodeStatus(): NodeStatus;
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
        return send(res, 200, 'text/html; charset=utf-8', statusPage(this.source.nodeStatus()));
      default:
        return send(res, 404, 'text/plain', 'not found: try /, /healthz, /readyz or /metrics\n');
    }
  }
}

function send(res: http.ServerResponse, code: number, type: string, body: string): void {
  res.writeHead(code, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function statusPage(status: NodeStatus): string {
  const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows = (status.datasets ?? [])
    .map((d) => `<tr><td>${esc(d.name)}</td><td>${esc(d.owner)}</td><td>${esc(d.role)}</td><td>${esc(d.seq)}</td></tr>`)
    .join('');
  const services = (status.services ?? []).map((s) => `<li>${esc(s.name)}: ${esc(s.address)}</li>`).join('');
  return `<!doctype html><html><head><title>Strata ${esc(status.name)}</title></head><body>
<h1>Strata node ${esc(status.name)} (${esc(status.tier)})</h1>
<p>parents: ${esc((status.parents ?? []).map((p) => p.name).join(', ') || 'none')}; uptime ${esc(Math.round(Number(status.uptimeMs) / 1000))} s</p>
<h2>Services</h2><ul>${services}</ul>
<h2>Datasets</h2><table border="1"><tr><th>dataset</th><th>owner</th><th>role</th><th>seq</th></tr>${rows}</table>
</body></html>\n`;
}
