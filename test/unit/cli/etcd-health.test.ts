// The etcd health probe `strata up` waits on before it starts a highly
// available core. etcd's first client port is base+80; with `--base-port
// 10000` that is 10080, a port fetch() refuses outright (the Fetch
// standard's "bad ports"), so a probe made with fetch never saw etcd healthy.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { etcdHealthy, waitEtcdHealthy, type EtcdMemberSpec } from '../../../src/cli/up/etcd-launch';
import { SystemClock } from '../../../src/kernel/clock';

function fakeEtcd(port: number, body: string, status = 200): Promise<http.Server | undefined> {
  const server = http.createServer((req, res) => {
    res.writeHead(req.url === '/health' ? status : 404, { 'content-type': 'application/json' });
    res.end(body);
  });
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const close = (server: http.Server | undefined): Promise<void> => new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));

describe('etcd health probe', () => {
  it('sees a member healthy on port 10080, which fetch() refuses', async function () {
    const server = await fakeEtcd(10080, '{"health":"true","reason":""}');
    if (!server) this.skip(); // something else holds 10080 on this machine
    try {
      assert.equal(await etcdHealthy('127.0.0.1', 10080), true);
      const spec: EtcdMemberSpec = { name: 'etcd-1', dataDir: '/nonexistent/etcd-1', clientPort: 10080, peerPort: 10081 };
      await waitEtcdHealthy([spec], new SystemClock(), 2000);
    } finally {
      await close(server);
    }
  });

  it('is false for an unhealthy answer, a non-200, garbage, and no listener', async () => {
    for (const [body, status] of [['{"health":"false","reason":"RAFT NO LEADER"}', 200], ['{"health":"true"}', 503], ['not json', 200]] as const) {
      const server = (await fakeEtcd(0, body, status))!;
      try {
        assert.equal(await etcdHealthy('127.0.0.1', (server.address() as AddressInfo).port), false, `${status} ${body}`);
      } finally {
        await close(server);
      }
    }
    const server = (await fakeEtcd(0, ''))!;
    const port = (server.address() as AddressInfo).port;
    await close(server);
    assert.equal(await etcdHealthy('127.0.0.1', port), false);
  });
});
