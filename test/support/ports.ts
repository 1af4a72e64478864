// Finds a block of free loopback ports for tests that need fixed ports
// (`strata up` derives every port from one base).

import dgram from 'node:dgram';
import net from 'node:net';

function tcpFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

function udpFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

/**
 * A base port such that base..base+span-1 are free for TCP and UDP on 127.0.0.1.
 * Chosen below Linux's ephemeral range (32768+), where outgoing connections of
 * other tests could otherwise take a port between this check and the bind.
 */
export async function freeBasePort(span = 100, host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 10_000 + Math.floor(Math.random() * 220) * 100;
    let ok = true;
    for (let port = base; port < base + span && ok; port++) {
      ok = (await tcpFree(port, host)) && (await udpFree(port, host));
    }
    if (ok) return base;
  }
  throw new Error('no free block of ports found on 127.0.0.1');
}
