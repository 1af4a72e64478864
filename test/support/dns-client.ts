// Two real DNS clients for tests: Node's own dns.Resolver (what an app
// uses) and a raw UDP exchange that shows flags, TTLs and the Extended DNS
// Error a resolver library hides.

import dgram from 'node:dgram';
import { promises as dnsPromises } from 'node:dns';
import net from 'node:net';
import { decodeResponse, encodeQuery, type DecodedResponse } from '../../src/naming/server/dns2-adapter';

export function resolverFor(address: string): dnsPromises.Resolver {
  const resolver = new dnsPromises.Resolver({ timeout: 3000, tries: 1 });
  resolver.setServers([address]);
  return resolver;
}

export async function resolve4(address: string, name: string): Promise<string[]> {
  return (await resolverFor(address).resolve4(name)).sort();
}

/** resolve4, but "NXDOMAIN" / "NODATA" / other error codes as strings. */
export async function lookup4(address: string, name: string): Promise<string[] | string> {
  try {
    return await resolve4(address, name);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOTFOUND' ? 'NXDOMAIN' : code === 'ENODATA' ? 'NODATA' : String(code);
  }
}

export interface RawAnswer extends DecodedResponse {
  bytes: Buffer;
}

/** One query over UDP (with EDNS), the decoded answer with header flags. */
export function rawQuery(address: string, name: string, type: number, timeoutMs = 4000): Promise<RawAnswer> {
  const [host, port] = address.split(':');
  return sendRaw(host!, Number(port), encodeQuery(0x1234, name, type), timeoutMs).then((bytes) => {
    if (!bytes) throw new Error(`no answer from ${address} for ${name}`);
    return { ...decodeResponse(bytes), bytes };
  });
}

/** Send any bytes over UDP; resolves with the reply, or undefined when none comes within the timeout. */
export function sendRaw(host: string, port: number, message: Buffer, timeoutMs = 1000): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(undefined);
    }, timeoutMs);
    socket.on('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg);
    });
    socket.send(message, port, host);
  });
}

/**
 * Sends `message` and then a real query for `name` from one socket; once the
 * query is answered (the signal that the message before it was handled, as
 * the server reads a socket in order), resolves with every datagram that came
 * back. The query is sent again every 250 ms: UDP may drop it on a busy machine.
 */
export async function sendThenQuery(host: string, port: number, message: Buffer, name: string, timeoutMs = 10_000): Promise<Buffer[]> {
  const socket = dgram.createSocket('udp4');
  const received: Buffer[] = [];
  const id = 0x5a5a;
  try {
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve, reject) => socket.send(message, port, host, (err) => (err ? reject(err) : resolve())));
    const answered = new Promise<void>((resolve) => socket.on('message', (m: Buffer) => {
      received.push(m);
      if (m.length >= 2 && m.readUInt16BE(0) === id) resolve();
    }));
    for (let waited = 0; waited < timeoutMs; waited += 250) {
      socket.send(encodeQuery(id, name, 1), port, host);
      if (await Promise.race([answered.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 250))])) return received;
    }
    throw new Error(`no answer for ${name} from ${host}:${port} within ${timeoutMs} ms`);
  } finally {
    socket.close();
  }
}

/** One query over TCP (length-prefixed, RFC 1035 §4.2.2), the decoded answer. */
export function tcpQuery(address: string, name: string, type: number, timeoutMs = 4000): Promise<RawAnswer> {
  const [host, port] = address.split(':');
  const query = encodeQuery(0x4321, name, type);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), host!, () => socket.write(Buffer.concat([Buffer.from([query.length >> 8, query.length & 0xff]), query])));
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no TCP answer from ${address} for ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length < 2 || buffer.length < 2 + buffer.readUInt16BE(0)) return;
      clearTimeout(timer);
      socket.destroy();
      const bytes = buffer.subarray(2, 2 + buffer.readUInt16BE(0));
      resolve({ ...decodeResponse(bytes), bytes });
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
