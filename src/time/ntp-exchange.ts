// One NTP client/server exchange (RFC 5905 §8): the request, with t1 taken
// just before it is sent, a reply checked against it (server mode, the origin
// echoed, a synchronised source within the maximum distance), and the sample
// (offset and delay against the host clock, t4 taken as the reply is handed
// over). Runs in the node's main thread (fake-clock tests) or in the NTP
// worker (ntp-worker.ts), whose event loop is not kept busy by the node.

import { createHash, randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import type { Clock } from '../kernel/clock';
import type { HostPort } from '../kernel/host-port';
import type { Sample } from './clock-filter';
import type { HostTime } from './host-time';
import { LEAP_UNSYNCHRONIZED, MODE, readPacket, refIdOfIPv4, toNtpTimestamp, writePacket } from './ntp-packet';
import { PRECISION } from './ntp-server';

export interface ExchangeOptions {
  pollS: number;
  timeoutMs: number;
  /** A source whose own root distance is larger is not used (RFC 5905 MAXDIST). */
  maxDistanceS: number;
}

/** What the source said of itself in its reply. */
export interface SourceSelf {
  stratum: number;
  leap: number;
  rootDelayS: number;
  rootDispersionS: number;
  /** The reference ID to announce for it (its IPv4 address, or a hash of an IPv6 one). */
  refId: Buffer;
}

export interface Exchanged {
  sample: Sample;
  state: SourceSelf;
}

/** The exchange's clocks: host time for t1 and t4, served time for the request's transmit field, timers. */
export interface ExchangeClock {
  host: HostTime;
  servedAt(hostNs: bigint): bigint;
  clock: Clock;
}

/** One client/server exchange; undefined when there is no usable answer within the timeout. */
export function ntpExchange(address: HostPort, options: ExchangeOptions, at: ExchangeClock, inFlight?: Set<() => void>): Promise<Exchanged | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(net.isIPv6(address.host) ? 'udp6' : 'udp4');
    let done = false;
    const cancel = (): void => finish(undefined);
    const finish = (result: Exchanged | undefined): void => {
      if (done) return;
      done = true;
      timer.cancel();
      inFlight?.delete(cancel);
      socket.close();
      resolve(result);
    };
    inFlight?.add(cancel);
    const timer = at.clock.setTimeout(cancel, options.timeoutMs);
    socket.on('error', cancel);
    // The request goes out once the socket is connected: t1 is taken then, just before sending (taken before
    // connect, it would count the connect's latency into the delay and bias the offset by half of it).
    let sentHost = 0n;
    let transmit = 0n;
    let transmitRaw = -1n;
    socket.on('message', (message) => {
      const receivedHost = at.host.nowNs();
      if (transmitRaw < 0n) return;
      const read = readPacket(message, transmit);
      if (read.kind !== 'packet') return;
      const p = read.packet;
      // RFC 5905 §8 sanity: a server reply to this very request, from a synchronised source.
      if (p.mode !== MODE.SERVER || p.originRaw !== transmitRaw) return;
      if (p.leap === LEAP_UNSYNCHRONIZED || p.stratum < 1 || p.stratum > 15 || p.transmit === 0n || p.receive === 0n) return finish(undefined);
      if (p.rootDelay / 2 + p.rootDispersion > options.maxDistanceS) return finish(undefined);
      const t2 = p.receive;
      const t3 = p.transmit;
      const offsetNs = (Number(t2 - sentHost) + Number(t3 - receivedHost)) / 2;
      const delayNs = Math.max(0, Number(receivedHost - sentHost) - Number(t3 - t2));
      finish({
        sample: { hostNs: receivedHost, offsetS: offsetNs / 1e9, delayS: delayNs / 1e9 },
        state: { stratum: p.stratum, leap: p.leap, rootDelayS: p.rootDelay, rootDispersionS: p.rootDispersion, refId: refIdOf(address.host) },
      });
    });
    const request = writePacket({ leap: LEAP_UNSYNCHRONIZED, version: 4, mode: MODE.CLIENT, stratum: 0, poll: Math.round(Math.log2(options.pollS)), precision: PRECISION, rootDelay: 0, rootDispersion: 0, refId: Buffer.alloc(4), reference: 0n, receive: 0n, transmit: 0n, originRaw: 0n });
    // Connected: replies from any other address are not even seen.
    socket.connect(address.port, address.host, () => {
      if (done) return;
      sentHost = at.host.nowNs();
      transmit = at.servedAt(sentHost);
      // The low bits below our precision are random, so a reply cannot be forged by guessing (as chrony does).
      transmitRaw = toNtpTimestamp(transmit) ^ BigInt(randomInt(0, 0x1000));
      request.writeBigUInt64BE(transmitRaw, 40);
      socket.send(request, (err) => {
        if (err) finish(undefined);
      });
    });
  });
}

/** RFC 5905 §7.3: an IPv4 source's address, or the first four octets of the MD5 of an IPv6 one (or of a name). */
function refIdOf(host: string): Buffer {
  if (net.isIPv4(host)) return refIdOfIPv4(host);
  return createHash('md5').update(net.isIPv6(host) ? ipv6Octets(host) : Buffer.from(host)).digest().subarray(0, 4);
}

function ipv6Octets(address: string): Buffer {
  const [head, tail] = address.split('::') as [string, string | undefined];
  const groups = (part: string | undefined): string[] => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const out = Buffer.alloc(16);
  all.slice(0, 8).forEach((g, i) => out.writeUInt16BE(parseInt(g, 16) || 0, i * 2));
  return out;
}
