// DNS listeners: UDP and TCP on one address (RFC 1035 §4.2; TCP messages
// are length-prefixed and may be pipelined on one connection, RFC 7766).
// Every message goes to the QueryHandler; a handler failure is logged and
// counted, never fatal. With DNS workers, they serve UDP and this process
// only TCP. Sockets only.

import dgram from 'node:dgram';
import net from 'node:net';
import type { Clock } from '../../kernel/clock';
import { ListenError } from '../../kernel/errors';
import { formatHostPort, type HostPort } from '../../kernel/host-port';
import type { Logger } from '../../kernel/log';
import { DnsWorkers, type DnsWorkersOptions } from './dns-workers';
import type { QueryHandler } from './query-handler';

const TCP_IDLE_MS = 10_000;
const MAX_TCP_CONNECTIONS = 256;
/** Tries at listening on port 0 before giving up (each picks a new port). */
const PORT_ZERO_ATTEMPTS = 5;

export class DnsServer {
  private udp: dgram.Socket | undefined;
  private workers: DnsWorkers | undefined;
  private tcp: net.Server | undefined;
  private readonly connections = new Set<net.Socket>();
  boundPort = 0;

  constructor(
    private readonly handler: QueryHandler,
    private readonly logger: Logger,
    private readonly clock: Clock,
    /** UDP served by worker processes instead of this one (count 0: none). */
    private readonly workerOptions: DnsWorkersOptions = { count: 0, recursionFrom: [], maxEntries: 0, isCore: false },
  ) {}

  async listen(address: HostPort): Promise<number> {
    // Port 0: the system picks a free UDP port, which may be taken for TCP (by a listener or a
    // connection's local port) — then pick again rather than fail, as a caller of port 0 expects.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.listenOnce(address);
      } catch (err) {
        const inUse = (err as { cause?: NodeJS.ErrnoException }).cause?.code === 'EADDRINUSE';
        if (address.port !== 0 || !inUse || attempt >= PORT_ZERO_ATTEMPTS) throw err;
        this.logger.debug({ attempt }, 'DNS port picked for UDP is taken for TCP; picking another');
      }
    }
  }

  private async listenOnce(address: HostPort): Promise<number> {
    const port = this.workerOptions.count > 0 ? await this.listenWorkers(address) : await this.listenUdp(address);
    const tcp = net.createServer((socket) => this.onTcp(socket));
    tcp.maxConnections = MAX_TCP_CONNECTIONS;
    this.tcp = tcp;
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', (err) => reject(listenError('TCP', { host: address.host, port }, err)));
      tcp.listen(port, address.host, () => resolve());
    }).catch(async (err: unknown) => {
      this.udp?.close();
      this.udp = undefined;
      this.tcp = undefined;
      await this.workers?.stop();
      this.workers = undefined;
      throw err;
    });
    this.boundPort = port;
    return port;
  }

  /** Empties the packet caches of the DNS workers (the node's own is emptied by its owner). */
  clearWorkerCaches(generation: number): void {
    this.workers?.clear(generation);
  }

  private async listenUdp(address: HostPort): Promise<number> {
    const udp = dgram.createSocket({ type: net.isIPv6(address.host) ? 'udp6' : 'udp4', reuseAddr: false });
    this.udp = udp;
    const port = await new Promise<number>((resolve, reject) => {
      udp.once('error', (err) => reject(listenError('UDP', address, err)));
      udp.bind(address.port, address.host, () => resolve(udp.address().port));
    });
    udp.on('error', (err) => this.logger.error({ err }, 'DNS UDP socket error'));
    udp.on('message', (msg, rinfo) => {
      // Source port 0 cannot be answered (send would throw): a spoofed or broken packet.
      if (rinfo.port !== 0) void this.onUdp(msg, rinfo);
    });
    return port;
  }

  private async listenWorkers(address: HostPort): Promise<number> {
    const workers = new DnsWorkers(this.handler, this.workerOptions, this.logger, this.clock);
    this.workers = workers;
    try {
      const port = await workers.start(address);
      this.logger.info({ workers: this.workerOptions.count }, 'DNS over UDP served by worker processes');
      return port;
    } catch (err) {
      await workers.stop();
      throw listenError('UDP', address, err as NodeJS.ErrnoException);
    }
  }

  async close(): Promise<void> {
    this.udp?.close();
    await this.workers?.stop();
    for (const socket of this.connections) socket.destroy();
    await new Promise<void>((resolve) => (this.tcp ? this.tcp.close(() => resolve()) : resolve()));
  }

  private async onUdp(message: Buffer, rinfo: dgram.RemoteInfo): Promise<void> {
    try {
      const hit = this.handler.cached(message, rinfo.address, 'udp');
      if (hit) {
        this.udp?.send(hit, rinfo.port, rinfo.address);
        return;
      }
      for (const reply of await this.handler.handle(message, rinfo.address, 'udp')) this.udp?.send(reply, rinfo.port, rinfo.address);
    } catch (err) {
      this.logger.error({ err, client: rinfo.address }, 'DNS query failed');
    }
  }

  private onTcp(socket: net.Socket): void {
    this.connections.add(socket);
    let buffer = Buffer.alloc(0);
    let queue = Promise.resolve();
    let idle = this.clock.setTimeout(() => socket.destroy(), TCP_IDLE_MS);
    socket.on('close', () => {
      idle.cancel();
      this.connections.delete(socket);
    });
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      idle.cancel();
      idle = this.clock.setTimeout(() => socket.destroy(), TCP_IDLE_MS);
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
        const message = buffer.subarray(2, 2 + buffer.readUInt16BE(0));
        buffer = buffer.subarray(2 + message.length);
        queue = queue.then(() => this.answerTcp(socket, message));
      }
    });
  }

  private async answerTcp(socket: net.Socket, message: Buffer): Promise<void> {
    try {
      const replies = await this.handler.handle(message, socket.remoteAddress ?? '', 'tcp');
      if (replies.length === 0) {
        socket.destroy();
        return;
      }
      for (const reply of replies) {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(reply.length);
        if (!socket.destroyed) socket.write(Buffer.concat([len, reply]));
      }
    } catch (err) {
      this.logger.error({ err }, 'DNS TCP query failed');
      socket.destroy();
    }
  }
}

function listenError(kind: string, address: HostPort, err: NodeJS.ErrnoException): ListenError {
  const why = err.code === 'EADDRINUSE' ? 'address already in use; is another DNS server or Strata node running? Choose another port' : err.code === 'EACCES' ? 'permission denied; port 53 needs privileges (or use a port above 1023)' : String(err.code ?? err.message);
  return new ListenError(`cannot listen for DNS (${kind}) on ${formatHostPort(address)}: ${why}`, { cause: err });
}
