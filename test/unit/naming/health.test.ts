import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { FakeClock, SystemClock } from '../../../src/kernel/clock';
import { probe } from '../../../src/naming/services/health-checker';
import type { Instance } from '../../../src/naming/services/services';

function instance(check: Instance['check'], port: number, lastPassMs = 0): Instance {
  return { service: 'api', node: 'berlin', id: `127.0.0.1:${port}`, address: '127.0.0.1', port, check, maintenance: false, healthy: false, lastPassMs };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

describe('health probes (real sockets)', () => {
  const clock = new SystemClock();

  it('tcp: healthy when the port accepts, unhealthy with the reason when it refuses', async () => {
    const server = net.createServer((s) => s.end());
    const port = await listen(server);
    assert.deepEqual(await probe(instance({ kind: 'tcp', intervalMs: 1000, timeoutMs: 500 }, port), clock), { healthy: true, error: undefined });
    server.close();
    const down = await probe(instance({ kind: 'tcp', intervalMs: 1000, timeoutMs: 500 }, port), clock);
    assert.equal(down.healthy, false);
    assert.match(down.error!, /TCP connect failed: ECONNREFUSED/);
  });

  it('http: 2xx/3xx healthy, other statuses not, on the registered path', async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.url!);
      res.writeHead(req.url === '/health' ? 204 : 503);
      res.end();
    });
    const port = await listen(server);
    assert.equal((await probe(instance({ kind: 'http', path: '/health', intervalMs: 1000, timeoutMs: 500 }, port), clock)).healthy, true);
    const sick = await probe(instance({ kind: 'http', path: '/', intervalMs: 1000, timeoutMs: 500 }, port), clock);
    assert.deepEqual(sick, { healthy: false, error: 'HTTP 503' });
    assert.deepEqual(seen, ['/health', '/']);
    server.close();
  });

  it('ttl: healthy while the last pass is younger than the TTL (fake clock)', async () => {
    const fake = new FakeClock(1_000_000);
    const check = { kind: 'ttl' as const, intervalMs: 1000, timeoutMs: 500, ttlMs: 30_000 };
    assert.equal((await probe(instance(check, 1, 1_000_000 - 29_000), fake)).healthy, true);
    const expired = await probe(instance(check, 1, 1_000_000 - 31_000), fake);
    assert.equal(expired.healthy, false);
    assert.match(expired.error!, /no TTL pass for over 30000 ms/);
  });
});
