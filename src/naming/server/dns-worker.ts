// Entry point of a DNS worker process (see dns-workers.ts): binds the UDP
// socket node:cluster shares among the workers, answers what its packet
// cache holds, and passes everything else to the node process over IPC.
// Concurrent misses for the same question are sent once and all answered
// from that one answer (with their own IDs), so an emptied cache under load
// does not become a storm of identical queries at the node. Exits when the
// node process goes away.

import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import { SystemClock } from '../../kernel/clock';
import type { FromWorker, ToWorker, WorkerSettings } from './dns-workers';
import { WORKER_ENV } from './dns-workers';
import { addressMatcher, FastPath } from './fast-path';
import { PacketCache } from './packet-cache';
import { rcodeOf } from './wire';

/** Clients waiting for the node; beyond this, queries are dropped (the client retries) as by a busy server. */
const MAX_PENDING = 10_000;

interface Client {
  /** The query's ID; -1 when the message was not a well-formed query (its answer is sent as is). */
  id: number;
  port: number;
  address: string;
}

/** One question sent to the node: who waits for it (nobody for a refresh) and its cache key, if any. */
interface Pending {
  key: string | undefined;
  clients: Client[];
}

/**
 * The socket's name lookup. Replies go to a sender's address, an IP literal, which dns.lookup
 * would hand back unchanged but a tick later, after its argument checks; this hands it back at
 * once, so an answer is sent within its 'message' event. Names (a configured host) still go to
 * dns.lookup. (dgram passes the family as a number, which dns.lookup takes as well.)
 */
function lookup(address: string, family: dns.LookupOneOptions, done: (err: NodeJS.ErrnoException | null, address: string, family: number) => void): void {
  const literal = net.isIP(address);
  if (literal !== 0) done(null, address, literal);
  else dns.lookup(address, family, done);
}

function main(): void {
  const settings = JSON.parse(process.env[WORKER_ENV] ?? 'null') as WorkerSettings | null;
  if (!settings || !process.send) {
    process.stderr.write('dns-worker: started without its settings; it is run by a Strata node (config dns.workers), not by hand\n');
    process.exit(2);
  }
  const clock = new SystemClock();
  const fast = new FastPath(new PacketCache(settings.maxEntries, clock), addressMatcher(settings.recursionFrom));
  const pending = new Map<number, Pending>();
  const inFlight = new Map<string, number>();
  const tell = (message: FromWorker): void => {
    if (process.connected) process.send!(message);
  };
  let seq = 0;
  let waitingClients = 0;
  /** Answers sent here since the last report, by RCODE. */
  const hits = new Map<number, number>();
  const hit = (response: Buffer, n = 1): void => void hits.set(rcodeOf(response), (hits.get(rcodeOf(response)) ?? 0) + n);

  /** Asks the node about `message`, unless the same question is already asked: then `waiting` joins it. */
  const ask = (message: Buffer, client: string, key: string | undefined, waiting: Client | undefined): void => {
    if (waitingClients >= MAX_PENDING) return;
    const asked = key === undefined ? undefined : inFlight.get(key);
    if (asked !== undefined) {
      if (waiting) pending.get(asked)!.clients.push(waiting);
    } else {
      pending.set(++seq, { key, clients: waiting ? [waiting] : [] });
      if (key !== undefined) inFlight.set(key, seq);
      tell({ type: 'query', seq, message, client });
    }
    if (waiting) waitingClients++;
  };

  const socket = dgram.createSocket({ type: net.isIPv6(settings.host) ? 'udp6' : 'udp4', lookup });
  const failedToBind = (err: NodeJS.ErrnoException): void => {
    tell({ type: 'failed', code: err.code ?? 'EUNKNOWN', message: err.message });
    process.exit(1);
  };
  socket.once('error', failedToBind);
  socket.bind(settings.port, settings.host, () => {
    socket.off('error', failedToBind);
    socket.on('error', (err) => tell({ type: 'socket-error', message: err.message }));
    tell({ type: 'ready', port: socket.address().port });
  });
  const send = (bytes: Buffer, port: number, address: string): void => {
    try {
      socket.send(bytes, port, address);
    } catch (err) {
      tell({ type: 'socket-error', message: (err as Error).message });
    }
  };
  socket.on('message', (message, rinfo) => {
    if (rinfo.port === 0) return; // cannot be answered: a spoofed or broken packet
    const probe = fast.probe(message, rinfo.address, 'udp');
    if (probe?.hit) {
      hit(probe.hit.response);
      send(probe.hit.response, rinfo.port, rinfo.address);
      if (probe.hit.refresh) ask(message, rinfo.address, probe.key, undefined);
      return;
    }
    ask(message, rinfo.address, probe?.key, { id: probe?.id ?? -1, port: rinfo.port, address: rinfo.address });
  });

  process.on('message', (message: ToWorker) => {
    const cache = fast.packetCache;
    if (message.type === 'clear') {
      if (message.generation > cache.generation) cache.clear(message.generation);
      // Questions asked before the change still get their answers, but new misses ask again.
      inFlight.clear();
      return;
    }
    const waiting = pending.get(message.seq);
    if (!waiting) return;
    pending.delete(message.seq);
    if (waiting.key !== undefined && inFlight.get(waiting.key) === message.seq) inFlight.delete(waiting.key);
    waitingClients -= waiting.clients.length;
    const replies = message.replies.map((r) => Buffer.from(r.buffer, r.byteOffset, r.byteLength));
    if (replies[0] && waiting.clients.length > 1) hit(replies[0], waiting.clients.length - 1); // answered here, not by the node
    for (const client of waiting.clients) {
      for (const reply of replies) {
        // Every waiting client asked the same question, each with its own ID.
        const out = client.id < 0 ? reply : Buffer.from(reply);
        if (client.id >= 0) out.writeUInt16BE(client.id, 0);
        send(out, client.port, client.address);
      }
    }
    const cacheFor = message.cacheFor;
    if (cacheFor && replies[0]) {
      if (cacheFor.generation > cache.generation) cache.clear(cacheFor.generation);
      cache.set(cacheFor.key, replies[0], cacheFor.ttlS, cacheFor.generation, cacheFor.age);
    }
  });
  clock.setInterval(() => {
    if (hits.size === 0) return;
    tell({ type: 'hits', counts: [...hits] });
    hits.clear();
  }, 1000);
  process.on('disconnect', () => process.exit(0));
}

main();
