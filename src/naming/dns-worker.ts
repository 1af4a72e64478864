// Entry point of a DNS worker process (see dns-workers.ts): binds the UDP
// socket node:cluster shares among the workers, answers what its packet
// cache holds, and passes everything else to the node process over IPC.
// Exits when the node process goes away.

import dgram from 'node:dgram';
import net from 'node:net';
import { SystemClock } from '../kernel/clock';
import type { FromWorker, ToWorker, WorkerSettings } from './dns-workers';
import { WORKER_ENV } from './dns-workers';
import { addressMatcher, FastPath } from './fast-path';
import { PacketCache } from './packet-cache';

/** Misses waiting for the node; beyond this, queries are dropped (the client retries) as by a busy server. */
const MAX_PENDING = 10_000;

function main(): void {
  const settings = JSON.parse(process.env[WORKER_ENV] ?? 'null') as WorkerSettings | null;
  if (!settings || !process.send) {
    process.stderr.write('dns-worker: started without its settings; it is run by a Strata node (config dns.workers), not by hand\n');
    process.exit(2);
  }
  const clock = new SystemClock();
  const fast = new FastPath(new PacketCache(settings.maxEntries, clock), addressMatcher(settings.recursionFrom));
  /** Misses by sequence number: whom to answer (undefined: a refresh of a cached entry, nobody waits). */
  const pending = new Map<number, { port: number; address: string } | undefined>();
  const tell = (message: FromWorker): void => {
    if (process.connected) process.send!(message);
  };
  let seq = 0;
  let hits = 0;

  const socket = dgram.createSocket({ type: net.isIPv6(settings.host) ? 'udp6' : 'udp4' });
  socket.once('error', (err: NodeJS.ErrnoException) => {
    tell({ type: 'failed', code: err.code ?? 'EUNKNOWN', message: err.message });
    process.exit(1);
  });
  socket.bind(settings.port, settings.host, () => tell({ type: 'ready', port: socket.address().port }));
  socket.on('message', (message, rinfo) => {
    const hit = fast.lookup(message, rinfo.address, 'udp');
    if (hit) {
      hits++;
      socket.send(hit.response, rinfo.port, rinfo.address);
      if (hit.refresh && pending.size < MAX_PENDING) {
        pending.set(++seq, undefined);
        tell({ type: 'query', seq, message, client: rinfo.address });
      }
      return;
    }
    if (pending.size >= MAX_PENDING) return;
    pending.set(++seq, { port: rinfo.port, address: rinfo.address });
    tell({ type: 'query', seq, message, client: rinfo.address });
  });

  process.on('message', (message: ToWorker) => {
    const cache = fast.packetCache;
    if (message.type === 'clear') {
      if (message.generation > cache.generation) cache.clear(message.generation);
      return;
    }
    if (!pending.has(message.seq)) return;
    const to = pending.get(message.seq);
    pending.delete(message.seq);
    const replies = message.replies.map((r) => Buffer.from(r.buffer, r.byteOffset, r.byteLength));
    if (to) for (const reply of replies) socket.send(reply, to.port, to.address);
    const cacheFor = message.cacheFor;
    if (cacheFor && replies[0]) {
      if (cacheFor.generation > cache.generation) cache.clear(cacheFor.generation);
      cache.set(cacheFor.key, replies[0], cacheFor.ttlS, cacheFor.generation);
    }
  });
  clock.setInterval(() => {
    if (hits === 0) return;
    tell({ type: 'hits', n: hits });
    hits = 0;
  }, 1000);
  process.on('disconnect', () => process.exit(0));
}

main();
