// The live fuzz's senders, one per listener: each sends mutants of valid
// messages (the parser targets' seeds) to a running node until a deadline
// and counts what it sent and what came back. Answers are not checked;
// only the node's survival and its answers afterwards are (live.ts).

import dgram from 'node:dgram';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { packageDefinition } from '../../src/federation/grpc/grpc-adapter';
import { Mutator, tokens } from './mutate';
import type { Prng } from './prng';
import { dnsLengthFields, dnsQueries } from './targets/dns-seeds';
import { berLengthFields, ldapRequests } from './targets/ldap-seeds';
import { linkMessages, linkMethod, protobufLengthFields } from './targets/link';
import { ntpSeeds } from './targets/ntp';

export interface SenderRow {
  listener: string;
  sent: number;
  answered: number;
  connections: number;
}

export interface SendContext {
  rng: Prng;
  deadlineMs: number;
  host: string;
  /** Told of everything sent (`what`: the listener, or the gRPC method), to keep the last inputs for a report. */
  trace(what: string, bytes: Buffer[]): void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const before = (deadlineMs: number): boolean => Date.now() < deadlineMs;

/** A mutant of one of `seeds` (sometimes a seed unchanged). */
function mutants(seeds: Buffer[], mutator: Mutator, rng: Prng): () => Buffer {
  return () => (rng.chance(0.1) ? rng.pick(seeds) : mutator.mutate(rng, rng.pick(seeds), rng.pick(seeds)));
}

/** Datagrams in small bursts; counts replies. */
export async function fuzzUdp(listener: string, port: number, seeds: Buffer[], mutator: Mutator, ctx: SendContext): Promise<SenderRow> {
  const row: SenderRow = { listener, sent: 0, answered: 0, connections: 0 };
  const next = mutants(seeds, mutator, ctx.rng);
  const socket = dgram.createSocket('udp4');
  socket.on('message', () => row.answered++);
  socket.on('error', () => undefined);
  while (before(ctx.deadlineMs)) {
    for (let i = 0; i < 8; i++) {
      const message = next().subarray(0, 65_000);
      ctx.trace(listener, [message]);
      socket.send(message, port, ctx.host);
      row.sent++;
    }
    await sleep(5);
  }
  await sleep(300);
  socket.close();
  return row;
}

/** One connection: write `chunks`, read until the server closes or `waitMs` passes; bytes received. */
export function exchange(connect: () => net.Socket, chunks: Buffer[], waitMs: number): Promise<number> {
  return new Promise((resolve) => {
    let received = 0;
    const socket = connect();
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received);
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (d: Buffer) => (received += d.length));
    socket.on('error', done);
    socket.on('close', done);
    socket.once(socket instanceof tls.TLSSocket ? 'secureConnect' : 'connect', () => {
      for (const chunk of chunks) if (!socket.destroyed) socket.write(chunk);
    });
  });
}

/** Connections in `parallel` loops, each writing a few mutants; counts connections that got any answer. */
export async function fuzzStream(listener: string, connect: () => net.Socket, session: () => Buffer[], ctx: SendContext, parallel = 2, waitMs = 150): Promise<SenderRow> {
  const row: SenderRow = { listener, sent: 0, answered: 0, connections: 0 };
  const loop = async (): Promise<void> => {
    while (before(ctx.deadlineMs)) {
      const chunks = session();
      ctx.trace(listener, chunks);
      row.sent += chunks.length;
      row.connections++;
      if ((await exchange(connect, chunks, waitMs)) > 0) row.answered++;
    }
  };
  await Promise.all(Array.from({ length: parallel }, loop));
  return row;
}

export function dnsMutator(): Mutator {
  return new Mutator({ lengthFields: dnsLengthFields, maxBytes: 4096 });
}

/** DNS over TCP: length-prefixed mutants, sometimes with a wrong prefix or cut short. */
export function dnsTcpSession(rng: Prng): () => Buffer[] {
  const next = mutants(dnsQueries(), dnsMutator(), rng);
  return () =>
    Array.from({ length: rng.between(1, 4) }, () => {
      const message = next();
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(rng.chance(0.9) ? message.length : rng.below(65536));
      const framed = Buffer.concat([prefix, message]);
      return rng.chance(0.1) ? framed.subarray(0, rng.below(framed.length)) : framed;
    });
}

/** LDAP: sometimes a valid anonymous bind first, then mutants (one connection's bytes). */
export function ldapSession(rng: Prng): () => Buffer[] {
  const seeds = ldapRequests();
  const next = mutants(seeds, new Mutator({ lengthFields: berLengthFields, maxBytes: 16 * 1024 }), rng);
  return () => [...(rng.chance(0.5) ? [seeds[1]!] : []), ...Array.from({ length: rng.between(1, 3) }, next)];
}

export function ntpMutator(): Mutator {
  return new Mutator({ maxBytes: 512 });
}

export { ntpSeeds };

const HTTP_SEEDS = [
  'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
  'GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\n\r\n',
  'HEAD /readyz HTTP/1.0\r\n\r\n',
  'GET /?a=%00&b=../../etc HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello',
  'GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
].map((s) => Buffer.from(s));

export function httpSession(rng: Prng): () => Buffer[] {
  const mutator = new Mutator({ maxBytes: 16 * 1024, dictionary: tokens('\r\n', '\r\n\r\n', ': ', 'Content-Length: ', 'Transfer-Encoding: chunked\r\n', 'Expect: 100-continue\r\n', 'Connection: upgrade\r\nUpgrade: h2c\r\n', ' HTTP/1.1', ' HTTP/2.0', '/metrics', '/healthz', '/readyz', '%', '?', '#', '\u0000') });
  const next = mutants(HTTP_SEEDS, mutator, rng);
  return () => [next()];
}

/** What a real HTTP/2 gRPC client sends for a unary call, and a real TLS ClientHello: recorded once from a local socket. */
export async function recordClientBytes(): Promise<{ http2Call: Buffer; clientHello: Buffer }> {
  const record = (start: (port: number) => () => void): Promise<Buffer> =>
    new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let stop: () => void = () => undefined;
      const server = net.createServer((socket) => {
        socket.on('data', (d: Buffer) => chunks.push(d));
        socket.on('error', () => undefined);
        setTimeout(() => {
          socket.destroy();
          stop();
          server.close();
          resolve(Buffer.concat(chunks));
        }, 300);
      });
      server.listen(0, '127.0.0.1', () => (stop = start((server.address() as net.AddressInfo).port)));
    });
  const http2Call = await record((port) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', () => undefined);
    const body = Buffer.concat([Buffer.from([0, 0, 0, 0, 7]), Buffer.from([0x0a, 0x05]), Buffer.from('hello')]);
    const req = session.request({ ':method': 'POST', ':path': '/strata.v1.ResolverService/Resolve', 'content-type': 'application/grpc', te: 'trailers', 'grpc-timeout': '2S' });
    req.on('error', () => undefined);
    req.end(body);
    return () => session.destroy();
  });
  const clientHello = await record((port) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'core', rejectUnauthorized: false });
    socket.on('error', () => undefined);
    return () => socket.destroy();
  });
  return { http2Call, clientHello };
}

const identity = (b: Buffer): Buffer => b;

/** gRPC through grpc-js: mutated LinkMessages on Link streams, and mutated requests to every unary method. */
export async function fuzzGrpcCalls(address: string, ctx: SendContext): Promise<SenderRow> {
  const row: SenderRow = { listener: 'grpc (calls)', sent: 0, answered: 0, connections: 0 };
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  const link = linkMethod();
  const linkSeeds = linkMessages().map((m) => link.requestSerialize(m));
  const linkNext = mutants(linkSeeds, new Mutator({ lengthFields: protobufLengthFields, maxBytes: 8192 }), ctx.rng);
  const unary = Object.values(packageDefinition())
    .flatMap((service) => Object.values(service as unknown as Record<string, { path?: string; requestStream?: boolean; responseStream?: boolean }>))
    .filter((m) => typeof m.path === 'string' && !m.requestStream && !m.responseStream)
    .map((m) => m.path!);
  const unaryNext = mutants([Buffer.alloc(0), ...linkSeeds], new Mutator({ lengthFields: protobufLengthFields, maxBytes: 8192 }), ctx.rng);
  const linkLoop = async (): Promise<void> => {
    while (before(ctx.deadlineMs)) {
      row.connections++;
      const call = client.makeBidiStreamRequest('/strata.v1.LinkService/Link', identity, identity, new grpc.Metadata(), { deadline: Date.now() + 2000 });
      let answered = false;
      call.on('data', () => (answered = true));
      call.on('error', () => (answered = true));
      const messages = [...(ctx.rng.chance(0.5) ? [linkSeeds[0]!] : []), ...Array.from({ length: ctx.rng.between(1, 6) }, linkNext)];
      ctx.trace('/strata.v1.LinkService/Link', messages);
      for (const m of messages) call.write(m);
      row.sent += messages.length;
      await sleep(200);
      call.cancel();
      if (answered) row.answered++;
    }
  };
  const unaryLoop = async (): Promise<void> => {
    while (before(ctx.deadlineMs)) {
      const path = ctx.rng.pick(unary);
      const request = unaryNext();
      ctx.trace(path, [request]);
      row.sent++;
      await new Promise<void>((resolve) => {
        client.makeUnaryRequest(path, identity, identity, request, new grpc.Metadata(), { deadline: Date.now() + 2000 }, () => {
          row.answered++;
          resolve();
        });
      });
    }
  };
  await Promise.all([linkLoop(), unaryLoop(), unaryLoop()]);
  client.close();
  return row;
}

export function rawSession(seed: Buffer, rng: Prng): () => Buffer[] {
  const next = mutants([seed], new Mutator({ maxBytes: 16 * 1024 }), rng);
  return () => [next()];
}
