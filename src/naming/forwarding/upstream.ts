// Asks other DNS servers (the parent's DNS listener, or the core's configured
// upstream resolvers): UDP first, TCP when the answer is truncated, each
// server in order until one answers. Responses are checked on the wire
// before dns2 decodes them. Time and sockets only; no caching here.

import dgram from 'node:dgram';
import net from 'node:net';
import { randomInt } from 'node:crypto';
import type { Clock } from '../../kernel/clock';
import { formatHostPort, type HostPort } from '../../kernel/host-port';
import { decodeResponse, encodeQuery, type DecodedResponse } from '../server/dns2-adapter';
import { checkResponse } from '../server/wire';

export class UpstreamError extends Error {}

export class Upstream {
  constructor(private readonly clock: Clock) {}

  /** Ask each server in turn until one answers; rejects with what went wrong for each. */
  async query(servers: readonly HostPort[], name: string, type: number, perServerTimeoutMs: number): Promise<DecodedResponse> {
    const failures: string[] = [];
    for (const server of servers) {
      try {
        const id = randomInt(0, 65536);
        const query = encodeQuery(id, name, type);
        let reply = await this.udp(server, query, id, perServerTimeoutMs);
        let decoded = decodeResponse(reply);
        if (decoded.tc) {
          reply = await this.tcp(server, query, id, perServerTimeoutMs);
          decoded = decodeResponse(reply);
        }
        return decoded;
      } catch (err) {
        failures.push(`${formatHostPort(server)}: ${(err as Error).message}`);
      }
    }
    throw new UpstreamError(servers.length === 0 ? 'no upstream server is known' : failures.join('; '));
  }

  private udp(server: HostPort, query: Buffer, id: number, timeoutMs: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket(net.isIPv6(server.host) ? 'udp6' : 'udp4');
      const timer = this.clock.setTimeout(() => finish(new UpstreamError(`no answer within ${timeoutMs} ms`)), timeoutMs);
      const finish = (result: Buffer | Error): void => {
        timer.cancel();
        socket.close();
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      socket.on('error', (err) => finish(err));
      socket.on('message', (msg) => {
        const problem = checkResponse(msg, id);
        if (!problem) finish(msg);
      });
      socket.send(query, server.port, server.host);
    });
  }

  private tcp(server: HostPort, query: Buffer, id: number, timeoutMs: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(server.port, server.host);
      let data = Buffer.alloc(0);
      const timer = this.clock.setTimeout(() => finish(new UpstreamError(`no TCP answer within ${timeoutMs} ms`)), timeoutMs);
      const finish = (result: Buffer | Error): void => {
        timer.cancel();
        socket.destroy();
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      socket.on('error', (err) => finish(err));
      socket.on('connect', () => {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(query.length);
        socket.write(Buffer.concat([len, query]));
      });
      socket.on('data', (chunk) => {
        data = Buffer.concat([data, chunk]);
        if (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
          const msg = data.subarray(2, 2 + data.readUInt16BE(0));
          const problem = checkResponse(msg, id);
          finish(problem ? new UpstreamError(`bad TCP answer: ${problem}`) : msg);
        }
      });
    });
  }
}
