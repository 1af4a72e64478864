// NTP server (RFC 5905 §9, server mode): a client request (mode 3) gets a
// server reply (mode 4) stamped with the disciplined clock — receive time
// taken as the datagram is handed to us, transmit time just before sending,
// the client's transmit echoed as origin. Anything else — too short, a
// version outside 1–4, a mode other than client — is dropped and counted,
// as ntpd and chrony do. Sockets only; what to say comes from the caller.

import dgram from 'node:dgram';
import net from 'node:net';
import { ListenError } from '../kernel/errors';
import { formatHostPort, type HostPort } from '../kernel/host-port';
import type { Logger } from '../kernel/log';
import type { Counter } from '../kernel/metrics';
import type { HostTime } from './host-time';
import { MODE, NTP_HEADER_OCTETS, toShort, writeNtpTimestamp } from './ntp-packet';

/** What the server announces, read for every reply. */
export interface ServerView {
  leap: number;
  stratum: number;
  refId: Buffer;
  rootDelayS: number;
  rootDispersionS: number;
  /** Served time of the last update, Unix ns (0n: never). */
  referenceNs: bigint;
  /** Served time for a host instant. */
  servedAt(hostNs: bigint): bigint;
}

/** log2 of the timestamp resolution: about a microsecond (hrtime, and the event loop's reach). */
export const PRECISION = -20;

export interface NtpMetrics {
  requests: Counter<'result'>;
}

export class NtpServer {
  private socket: dgram.Socket | undefined;

  constructor(private readonly view: () => ServerView, private readonly host: HostTime, private readonly metrics: NtpMetrics, private readonly logger: Logger) {}

  async listen(address: HostPort): Promise<number> {
    const socket = dgram.createSocket({ type: net.isIPv6(address.host) ? 'udp6' : 'udp4' });
    this.socket = socket;
    const port = await new Promise<number>((resolve, reject) => {
      socket.once('error', (err: NodeJS.ErrnoException) => reject(listenFailure(address, err)));
      socket.bind(address.port, address.host, () => resolve(socket.address().port));
    });
    socket.on('error', (err) => this.logger.error({ err }, 'NTP socket error'));
    socket.on('message', (message, rinfo) => {
      if (rinfo.port === 0) {
        this.metrics.requests.inc({ result: 'malformed' }); // source port 0: cannot be answered
        return;
      }
      try {
        this.onMessage(message, rinfo);
      } catch (err) {
        this.logger.error({ err, client: rinfo.address }, 'NTP request failed');
      }
    });
    return port;
  }

  close(): void {
    this.socket?.close();
    this.socket = undefined;
  }

  private onMessage(message: Buffer, rinfo: dgram.RemoteInfo): void {
    const receivedHost = this.host.nowNs();
    const { reply, result } = answerRequest(message, receivedHost, this.view(), () => this.host.nowNs());
    this.metrics.requests.inc({ result });
    if (reply) this.socket?.send(reply, rinfo.port, rinfo.address);
  }
}

/** Why the NTP socket could not be bound, and what to do. */
export function listenFailure(address: HostPort, err: { code?: string; message: string }): ListenError {
  const why = err.code === 'EADDRINUSE' ? 'address already in use; is chronyd, ntpd or another Strata node running? Choose another port' : err.code === 'EACCES' ? 'permission denied; port 123 needs privileges (or use a port above 1023)' : String(err.code || err.message);
  return new ListenError(`cannot listen for NTP on ${formatHostPort(address)}: ${why}`, { cause: err });
}

/**
 * The answer to one datagram received at host instant `receivedHost`: a
 * server reply, or none (and why, for the request counter). `nowHost` is
 * read last, for the transmit timestamp. Shared by the in-thread server and
 * the NTP worker.
 */
export function answerRequest(message: Buffer, receivedHost: bigint, view: ServerView, nowHost: () => bigint): { reply?: Buffer; result: 'answered' | 'unsynchronised' | 'malformed' | 'ignored' } {
  // The request's length, version and mode read in place, no timestamp converted: this runs for every datagram.
  if (message.length < NTP_HEADER_OCTETS) return MALFORMED;
  const first = message[0]!;
  const version = (first >> 3) & 0x7;
  if (version < 1 || version > 4) return MALFORMED;
  if ((first & 0x7) !== MODE.CLIENT) return IGNORED;
  const reply = Buffer.alloc(NTP_HEADER_OCTETS); // zeroed: nothing of another buffer's memory goes out, whatever refId holds
  reply[0] = ((view.leap & 0x3) << 6) | (version << 3) | MODE.SERVER;
  reply[1] = view.stratum;
  reply[2] = message[2]!; // the client's poll, echoed
  reply.writeInt8(PRECISION, 3);
  reply.writeUInt32BE(toShort(view.rootDelayS), 4);
  reply.writeUInt32BE(toShort(view.rootDispersionS), 8);
  view.refId.copy(reply, 12, 0, 4);
  writeNtpTimestamp(reply, 16, view.referenceNs);
  message.copy(reply, 24, 40, 48); // origin: the client's transmit field as it sent it
  writeNtpTimestamp(reply, 32, view.servedAt(receivedHost));
  writeNtpTimestamp(reply, 40, view.servedAt(nowHost()));
  return { reply, result: view.leap === 3 ? 'unsynchronised' : 'answered' };
}

const MALFORMED = Object.freeze({ result: 'malformed' as const });
const IGNORED = Object.freeze({ result: 'ignored' as const });
