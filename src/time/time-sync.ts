// Synchronisation from the sources (the parents' NTP servers, or the core's
// upstreams): the RFC 5905 on-wire exchange (§8) with one source at a time —
// the first in order that answers — into the clock filter, whose estimate
// disciplines the served clock. Until synchronised it polls every 250 ms and
// waits for 4 samples (like chrony's iburst), so the first step uses the
// least-delayed of them; then it polls every pollS. A source that stops answering leaves the clock
// in holdover; the next in order is tried at each poll.

import { createHash, randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import type { Clock, Timer } from '../kernel/clock';
import { formatHostPort, type HostPort } from '../kernel/host-port';
import type { Logger } from '../kernel/log';
import { ClockFilter, type Estimate, type Sample } from './clock-filter';
import type { DisciplinedClock } from './disciplined-clock';
import type { HostTime } from './host-time';
import { LEAP_UNSYNCHRONIZED, MODE, readPacket, refIdOfIPv4, toNtpTimestamp, writePacket } from './ntp-packet';
import { PRECISION } from './ntp-server';

/** Until synchronised: polls this often, and the first update waits for this many samples (like chrony's iburst). */
const BURST_INTERVAL_MS = 250;
const FIRST_SYNC_SAMPLES = 4;

export interface SourceRef {
  name: string;
  address: HostPort;
}

/** The source in use and what it said of itself in its last good reply. */
export interface SourceState extends SourceRef {
  stratum: number;
  leap: number;
  rootDelayS: number;
  rootDispersionS: number;
  /** The reference ID to announce for it (its IPv4 address, or a hash of an IPv6 one). */
  refId: Buffer;
}

export interface SyncOptions {
  pollS: number;
  timeoutMs: number;
  /** A source whose own root distance is larger is not used (RFC 5905 MAXDIST). */
  maxDistanceS: number;
}

export class TimeSync {
  private readonly filter = new ClockFilter();
  private current: SourceState | undefined;
  private lastEstimate: Estimate | undefined;
  private lastSample: Sample | undefined;
  private timer: Timer | undefined;
  private stopped = false;
  private lostLogged = false;
  /** Ends each exchange in flight (on stop). */
  private readonly inFlight = new Set<() => void>();

  constructor(
    private readonly disciplined: DisciplinedClock,
    private readonly host: HostTime,
    private readonly sources: () => SourceRef[],
    private readonly options: SyncOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    for (const cancel of [...this.inFlight]) cancel();
  }

  get source(): SourceState | undefined {
    return this.current;
  }

  get estimate(): Estimate | undefined {
    return this.lastEstimate;
  }

  /** The last accepted sample (offset of the source from the host clock). */
  get sample(): Sample | undefined {
    return this.lastSample;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.poll()
        .catch((err: unknown) => this.logger.error({ err }, 'time poll failed'))
        .finally(() => this.schedule(this.disciplined.isSynced ? this.options.pollS * 1000 : BURST_INTERVAL_MS));
    }, delayMs);
  }

  private async poll(): Promise<void> {
    for (const source of this.sources()) {
      if (this.stopped) return;
      const reply = await this.exchange(source.address);
      if (!reply) continue;
      this.accept(source, reply.sample, reply.state);
      return;
    }
    if (this.disciplined.isSynced && !this.lostLogged) {
      this.lostLogged = true;
      this.logger.warn({ sources: this.sources().map((s) => s.name) }, 'no time source answers; holding over on the last frequency estimate');
    }
  }

  private accept(source: SourceRef, sample: Sample, state: Omit<SourceState, keyof SourceRef>): void {
    if (this.stopped) return;
    if (this.current?.name !== source.name || formatHostPort(this.current.address) !== formatHostPort(source.address)) {
      this.filter.clear();
      this.logger.info({ source: source.name, address: formatHostPort(source.address), stratum: state.stratum }, 'time source selected');
    }
    this.lostLogged = false;
    this.current = { ...source, ...state };
    this.filter.add(sample);
    this.lastSample = sample;
    if (!this.disciplined.isSynced && this.filter.size < FIRST_SYNC_SAMPLES) return;
    const estimate = this.filter.estimate()!;
    this.lastEstimate = estimate;
    const now = this.host.nowNs();
    // Frequency belongs to the host clock, not to the source: kept when the samples cannot tell (few, or a new source).
    const freq = estimate.freq ?? this.disciplined.frequency;
    this.disciplined.update({ offsetS: estimate.best.offsetS + (freq * Number(now - estimate.best.hostNs)) / 1e9, freq });
  }

  /** One client/server exchange; undefined when there is no usable answer within the timeout. */
  private exchange(address: HostPort): Promise<{ sample: Sample; state: Omit<SourceState, keyof SourceRef> } | undefined> {
    return new Promise((resolve) => {
      const socket = dgram.createSocket(net.isIPv6(address.host) ? 'udp6' : 'udp4');
      let done = false;
      const cancel = (): void => finish(undefined);
      const finish = (result: { sample: Sample; state: Omit<SourceState, keyof SourceRef> } | undefined): void => {
        if (done) return;
        done = true;
        timer.cancel();
        this.inFlight.delete(cancel);
        socket.close();
        resolve(result);
      };
      this.inFlight.add(cancel);
      const timer = this.clock.setTimeout(cancel, this.options.timeoutMs);
      socket.on('error', cancel);
      // The request goes out once the socket is connected: t1 is taken then, just before sending (taken before
      // connect, it would count the connect's latency into the delay and bias the offset by half of it).
      let sentHost = 0n;
      let transmit = 0n;
      let transmitRaw = -1n;
      socket.on('message', (message) => {
        const receivedHost = this.host.nowNs();
        if (transmitRaw < 0n) return;
        const read = readPacket(message, transmit);
        if (read.kind !== 'packet') return;
        const p = read.packet;
        // RFC 5905 §8 sanity: a server reply to this very request, from a synchronised source.
        if (p.mode !== MODE.SERVER || p.originRaw !== transmitRaw) return;
        if (p.leap === LEAP_UNSYNCHRONIZED || p.stratum < 1 || p.stratum > 15 || p.transmit === 0n || p.receive === 0n) return finish(undefined);
        if (p.rootDelay / 2 + p.rootDispersion > this.options.maxDistanceS) return finish(undefined);
        const t2 = p.receive;
        const t3 = p.transmit;
        const offsetNs = (Number(t2 - sentHost) + Number(t3 - receivedHost)) / 2;
        const delayNs = Math.max(0, Number(receivedHost - sentHost) - Number(t3 - t2));
        finish({
          sample: { hostNs: receivedHost, offsetS: offsetNs / 1e9, delayS: delayNs / 1e9 },
          state: { stratum: p.stratum, leap: p.leap, rootDelayS: p.rootDelay, rootDispersionS: p.rootDispersion, refId: refIdOf(address.host) },
        });
      });
      const request = writePacket({ leap: LEAP_UNSYNCHRONIZED, version: 4, mode: MODE.CLIENT, stratum: 0, poll: Math.round(Math.log2(this.options.pollS)), precision: PRECISION, rootDelay: 0, rootDispersion: 0, refId: Buffer.alloc(4), reference: 0n, receive: 0n, transmit: 0n, originRaw: 0n });
      // Connected: replies from any other address are not even seen.
      socket.connect(address.port, address.host, () => {
        if (done) return;
        sentHost = this.host.nowNs();
        transmit = this.disciplined.servedAt(sentHost);
        // The low bits below our precision are random, so a reply cannot be forged by guessing (as chrony does).
        transmitRaw = toNtpTimestamp(transmit) ^ BigInt(randomInt(0, 0x1000));
        request.writeBigUInt64BE(transmitRaw, 40);
        socket.send(request, (err) => {
          if (err) finish(undefined);
        });
      });
    });
  }
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
