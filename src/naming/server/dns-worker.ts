// Entry point of a DNS worker process (see dns-workers.ts): binds the UDP
// socket node:cluster shares among the workers, answers what its packet
// cache holds, then what the held zones hold (the node's lmdb store, opened
// read only: names, NODATA, NXDOMAIN, referrals), and passes everything else
// — service names, names outside held zones, recursion — to the node
// process over IPC.
// Concurrent misses for the same question are sent once and all answered
// from that one answer (with their own IDs), so an emptied cache under load
// does not become a storm of identical queries at the node. Exits when the
// node process goes away.

import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import { SystemClock } from '../../kernel/clock';
import type { Counter } from '../../kernel/metrics';
import { Store } from '../../store';
import { Resolver, type Handler } from '../forwarding/resolver';
import { AuthoritativeHandler } from '../zones/authoritative';
import { Zones } from '../zones/zones';
import { QueryHandler } from './query-handler';
import type { FromWorker, ToWorker, WorkerSettings } from './dns-workers';
import { exitTelling, settingsFromPool, type StartMessage } from '../../kernel/worker-pool';
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

/** Service names (`…svc.…`) are the node's: their answers depend on health and on where the client is in the tree. */
const SERVICE_NAME = /(^|\.)svc(\.|$)/;

/**
 * The held zones, answered here: a QueryHandler whose resolver has only the
 * authoritative handler (minus service names), over the node's store read only.
 */
async function heldZones(settings: WorkerSettings, fast: FastPath, clock: SystemClock, tell: (message: FromWorker) => void): Promise<{ handler: QueryHandler; store: Store; computed: Map<number, number> } | undefined> {
  if (!settings.storeDir) return undefined;
  const store = await Store.open({ dir: settings.storeDir, nodeName: 'dns-worker', clock, readOnly: true });
  const authoritative = new AuthoritativeHandler(new Zones(store), settings.isCore);
  const held: Handler = { name: 'authoritative', resolve: (q, context) => (SERVICE_NAME.test(q.name) ? undefined : authoritative.resolve(q, context)) };
  const none: Handler = { name: 'none', resolve: () => undefined };
  const computed = new Map<number, number>();
  // Counted here and reported to the node, which keeps the metrics: answers every second, malformed messages at once (rare, and looked for).
  const queries = { inc: (labels: { rcode: string }, n = 1) => void computed.set(Number(labels.rcode), (computed.get(Number(labels.rcode)) ?? 0) + n) } as unknown as Counter<'transport' | 'rcode' | 'cache'>;
  const malformedCounter = { inc: (_labels: unknown, n = 1) => tell({ type: 'computed', counts: [], malformed: n }) } as unknown as Counter<'transport'>;
  const handler = new QueryHandler(new Resolver({ services: none, authoritative: held, forward: none }), fast, { queries, malformed: malformedCounter }, { axfr: () => undefined });
  return { handler, store, computed };
}

async function main(): Promise<void> {
  const settings = await settingsFromPool<WorkerSettings>('dns-worker');
  const clock = new SystemClock();
  const fast = new FastPath(new PacketCache(settings.maxEntries, clock), addressMatcher(settings.recursionFrom));
  const pending = new Map<number, Pending>();
  const inFlight = new Map<string, number>();
  const tell = (message: FromWorker | StartMessage<{ port: number }>): void => {
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

  // Held zones answered here when the store opens; if it cannot be (no lmdb store), everything goes to the node, as before.
  const here = await heldZones(settings, fast, clock, tell).catch((err: unknown) => {
    tell({ type: 'warning', message: `DNS worker: held zones are answered by the node: this worker cannot read the store: ${(err as Error).message}` });
    return undefined;
  });
  const socket = dgram.createSocket({ type: net.isIPv6(settings.host) ? 'udp6' : 'udp4', lookup });
  const failedToBind = (err: NodeJS.ErrnoException): void => {
    void exitTelling({ type: 'failed', code: err.code ?? 'EUNKNOWN', message: err.message });
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
    const client = { id: probe?.id ?? -1, port: rinfo.port, address: rinfo.address };
    if (!here) return ask(message, rinfo.address, probe?.key, client);
    here.handler.answerHere(message, rinfo.address, 'udp', probe?.key).then(
      (answered) => {
        if (!answered) return ask(message, rinfo.address, probe?.key, client);
        for (const reply of answered.replies) send(reply, rinfo.port, rinfo.address);
        const cacheFor = answered.cacheFor;
        if (cacheFor && answered.replies[0]) fast.store(cacheFor.key, answered.replies[0], cacheFor.ttlS, cacheFor.generation, cacheFor.age);
      },
      () => ask(message, rinfo.address, probe?.key, client),
    );
  });

  process.on('message', (message: ToWorker) => {
    const cache = fast.packetCache;
    if (message.type === 'clear') {
      if (message.generation > cache.generation) cache.clear(message.generation);
      here?.store.changed(); // held zones read again
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
    if (hits.size > 0) tell({ type: 'hits', counts: [...hits] });
    hits.clear();
    if (here && here.computed.size > 0) tell({ type: 'computed', counts: [...here.computed], malformed: 0 });
    here?.computed.clear();
  }, 1000);
}

main().catch((err: unknown) => {
  process.stderr.write(`dns-worker: ${(err as Error).message}\n`);
  process.exit(1);
});
