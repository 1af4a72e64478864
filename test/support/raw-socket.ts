// Sends raw bytes to a TCP (or TLS) listener and collects whatever comes back
// until the server closes the connection or a deadline passes: for tests of
// what a server answers to malformed input, below any client library.

import net from 'node:net';
import tls from 'node:tls';

export interface RawReply {
  bytes: Buffer;
  /** Did the server close the connection (rather than the deadline pass)? */
  closed: boolean;
}

/**
 * `localAddress`: the loopback address to send from (another client, as far as per-address limits go);
 * `enough`: ends the exchange early once what came back is all the caller waits for.
 */
export function rawExchange(address: string, payload: Buffer, useTls = false, timeoutMs = 5000, localAddress?: string, enough?: (bytes: Buffer) => boolean): Promise<RawReply> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ bytes: Buffer.concat(chunks), closed });
    };
    const socket = useTls
      ? tls.connect({ host, port, rejectUnauthorized: false, ...(localAddress ? { socket: net.connect({ port, host, localAddress }) } : {}) }, () => socket.write(payload))
      : net.connect({ port, host, localAddress }, () => socket.write(payload));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (enough?.(Buffer.concat(chunks))) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    const timer = setTimeout(() => finish(false), timeoutMs);
  });
}
