// The NTP server's own thread (worker_threads): it owns the UDP socket, takes
// the receive timestamp as the datagram is handed to it and the transmit
// timestamp just before sending, and answers from the ServedBoard the node's
// main thread publishes — so a busy node (replication, LDAP, DNS) no longer
// delays or skews its time answers. Host time is computed from the same
// parameters as the main thread's (same monotonic clock, same anchor).
// Started by NtpWorkerServer (ntp-server-worker.ts); not imported elsewhere.

import dgram from 'node:dgram';
import net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { SystemClock } from '../kernel/clock';
import { servedAtWith, PHI } from './disciplined-clock';
import type { HostPort } from '../kernel/host-port';
import { hostTimeFrom, type HostParams } from './host-time';
import { ntpExchange, type ExchangeOptions, type Exchanged } from './ntp-exchange';
import { answerRequest, type ServerView } from './ntp-server';
import { ServedBoard, type BoardView } from './served-board';

export interface NtpWorkerData {
  board: SharedArrayBuffer;
  host: string;
  port: number;
  hostParams: HostParams;
}

/** Messages to the main thread. */
export type NtpWorkerMessage =
  | { kind: 'listening'; port: number }
  | { kind: 'listen-error'; code: string; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'exchanged'; id: number; result: Exchanged | undefined };

/** Messages from the main thread: an exchange with a source (made here, off the node's event loop), or close. */
export type NtpWorkerRequest = { kind: 'exchange'; id: number; address: HostPort; options: ExchangeOptions } | 'close';

/** The server view of a board view, made once per publish; per request only what changes with time is set. */
const served = new WeakMap<BoardView, ServerView>();

function serverView(view: BoardView, atHostNs: bigint): ServerView {
  let out = served.get(view);
  if (!out) {
    out = { ...view, servedAt: view.local ? (h) => h : (h) => servedAtWith(view.clock, h) };
    served.set(view, out);
  }
  if (view.local) out.referenceNs = atHostNs;
  else out.rootDispersionS = view.rootDispersionS + (view.leap === 3 ? 0 : PHI * Math.max(0, Number(atHostNs - view.publishedHostNs) / 1e9));
  return out;
}

function run(data: NtpWorkerData): void {
  const port = parentPort!;
  const board = new ServedBoard(data.board);
  const host = hostTimeFrom(new SystemClock(), data.hostParams);
  const socket = dgram.createSocket({ type: net.isIPv6(data.host) ? 'udp6' : 'udp4' });
  socket.once('error', (err: NodeJS.ErrnoException) => port.postMessage({ kind: 'listen-error', code: String(err.code ?? ''), message: err.message } satisfies NtpWorkerMessage));
  socket.bind(data.port, data.host, () => {
    socket.removeAllListeners('error');
    socket.on('error', (err) => port.postMessage({ kind: 'error', message: err.message } satisfies NtpWorkerMessage));
    port.postMessage({ kind: 'listening', port: socket.address().port } satisfies NtpWorkerMessage);
  });
  socket.on('message', (message, rinfo) => {
    const receivedHost = host.nowNs();
    if (rinfo.port === 0) return board.count('malformed'); // source port 0: cannot be answered
    const view = board.read();
    if (!view) return; // nothing published yet: the node is starting
    const { reply, result } = answerRequest(message, receivedHost, serverView(view, receivedHost), () => host.nowNs());
    board.count(result);
    if (reply) socket.send(reply, rinfo.port, rinfo.address);
  });
  const clock = new SystemClock();
  const servedAt = (h: bigint): bigint => {
    const view = board.read();
    return !view || view.local ? h : servedAtWith(view.clock, h);
  };
  port.on('message', (message: NtpWorkerRequest) => {
    if (message === 'close') {
      socket.close(() => port.close());
      return;
    }
    if (message.kind === 'exchange') {
      void ntpExchange(message.address, message.options, { host, servedAt, clock }).then(
        (result) => port.postMessage({ kind: 'exchanged', id: message.id, result } satisfies NtpWorkerMessage),
        () => port.postMessage({ kind: 'exchanged', id: message.id, result: undefined } satisfies NtpWorkerMessage),
      );
    }
  });
}

if (parentPort && workerData) run(workerData as NtpWorkerData);
