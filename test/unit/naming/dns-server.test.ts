import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { SystemClock } from '../../../src/kernel/clock';
import type { HostPort } from '../../../src/kernel/host-port';
import { silentLogger } from '../../../src/kernel/log';
import { DnsServer } from '../../../src/naming/server/dns-server';
import type { QueryHandler } from '../../../src/naming/server/query-handler';

const HOST = '127.0.0.1';

async function tcpHolder(): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return server;
}

const portOf = (server: net.Server): number => (server.address() as net.AddressInfo).port;

async function udpBindable(port: number): Promise<boolean> {
  const socket = dgram.createSocket('udp4');
  const ok = await new Promise<boolean>((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(port, HOST, () => resolve(true));
  });
  if (ok) await new Promise<void>((resolve) => socket.close(() => resolve()));
  return ok;
}

describe('DNS server: listening', () => {
  const handler = {} as QueryHandler;

  it('with port 0, a UDP port that is taken for TCP is given up and another picked', async () => {
    const held = await tcpHolder();
    const taken = portOf(held);
    const server = new DnsServer(handler, silentLogger(), new SystemClock());
    // The first port the system "picks" for UDP is one a TCP listener holds (what happened in CI).
    const inner = server as unknown as { listenUdp(address: HostPort): Promise<number> };
    const listenUdp = inner.listenUdp.bind(server);
    let calls = 0;
    inner.listenUdp = (address) => listenUdp(calls++ === 0 ? { host: HOST, port: taken } : address);
    try {
      const port = await server.listen({ host: HOST, port: 0 });
      assert.equal(calls, 2, 'picked twice');
      assert.notEqual(port, taken);
      assert.equal(await udpBindable(taken), true, 'the first UDP socket was closed');
      assert.equal(await udpBindable(port), false, 'UDP is bound on the port returned');
      await new Promise<void>((resolve, reject) => net.connect(port, HOST, resolve).once('error', reject).unref());
    } finally {
      await server.close();
      held.close();
    }
  });

  it('with a port given, TCP taken is an error that says so (no retry on another port)', async () => {
    const held = await tcpHolder();
    const server = new DnsServer(handler, silentLogger(), new SystemClock());
    try {
      await assert.rejects(server.listen({ host: HOST, port: portOf(held) }), /cannot listen for DNS \(TCP\) on 127\.0\.0\.1:\d+: address already in use/);
      assert.equal(await udpBindable(portOf(held)), true, 'the UDP socket it bound was closed');
    } finally {
      await server.close();
      held.close();
    }
  });
});
