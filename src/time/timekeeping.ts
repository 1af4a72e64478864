// Time for one node: the host clock (skewed only in tests), the disciplined
// clock, synchronisation from the sources and the NTP server, started in
// that order and stopped in reverse. The core without upstreams serves its
// local clock at a declared stratum (like chrony's `local stratum N`); every
// other node — and a core with upstreams — serves what it synchronised to,
// holds over when its sources go, and announces "unsynchronised" (leap 3,
// stratum 16) before its first synchronisation and once its root distance
// passes maxDistanceMs.

import { SystemClock, type Clock } from '../kernel/clock';
import type { HostPort } from '../kernel/host-port';
import { formatHostPort } from '../kernel/host-port';
import type { Logger } from '../kernel/log';
import type { Metrics } from '../kernel/metrics';
import { DisciplinedClock, PHI } from './disciplined-clock';
import { hostTime, type HostTime, type Skew } from './host-time';
import { LEAP_UNSYNCHRONIZED, STRATUM_UNSYNCHRONIZED } from './ntp-packet';
import { NtpServer, PRECISION, type ServerView } from './ntp-server';
import { NtpWorkerServer } from './ntp-server-worker';
import type { BoardView } from './served-board';
import type { TimePorts } from './ports';
import { TimeSync, type Exchanger, type SourceRef } from './time-sync';

export interface TimeConfig {
  listen: HostPort;
  isCore: boolean;
  /** The core's upstream NTP servers; none: the core serves its local clock. */
  upstreams: readonly HostPort[];
  localStratum: number;
  pollS: number;
  timeoutMs: number;
  maxDistanceMs: number;
  /** Tests only: a skewed, drifting host clock. */
  testSkew: Skew;
}

export interface TimeStatus {
  synchronized: boolean;
  stratum: number;
  leap: number;
  /** "local" for the core's own clock, else the source's name and address. */
  source: string;
  /** Source minus served time at the last sample, seconds (how far off served time was). */
  offsetS: number;
  /** Served minus host clock now, seconds (the correction in use). */
  correctionS: number;
  frequencyPpm: number;
  rootDelayS: number;
  rootDispersionS: number;
  /** Served time of the last synchronisation, Unix ms (0: never). */
  lastSyncMs: number;
  /** Every source polled, in order, as the last selection saw it (none at a core serving its own clock). */
  sources: Array<{ name: string; address: string; state: string; stratum: number; offsetS: number; distanceS: number }>;
}

const LOCAL_REFID = Buffer.from('LOCL', 'ascii');
/** 2025-01-01T00:00:00Z. */
const EARLIEST_PLAUSIBLE_NS = 1_735_689_600_000_000_000n;

export class Timekeeping {
  private readonly host: HostTime;
  private readonly disciplined: DisciplinedClock;
  private readonly sync: TimeSync | undefined;
  private readonly server: NtpServer | NtpWorkerServer;

  constructor(private readonly config: TimeConfig, ports: TimePorts, clock: Clock, logger: Logger, metrics: Metrics) {
    const local = config.isCore && config.upstreams.length === 0;
    this.host = hostTime(clock, config.testSkew, { followSteps: local });
    this.disciplined = new DisciplinedClock(this.host);
    const sources = (): SourceRef[] => (config.isCore ? config.upstreams.map((address) => ({ name: formatHostPort(address), address })) : ports.parentNtp());
    let foldCounts: (() => void) | undefined;
    const requests = { requests: metrics.counter('strata_ntp_requests_total', 'NTP requests by result', ['result'], () => foldCounts?.()) };
    // On the real clock the server and the exchanges with sources run in their own thread (timestamps not delayed
    // by the node's event loop); a fake clock cannot be shared with one.
    let exchanger: Exchanger | undefined;
    if (clock instanceof SystemClock) {
      const server = new NtpWorkerServer(() => this.boardView(), this.host, requests, clock, logger);
      this.disciplined.onChange = () => server.publish();
      foldCounts = () => server.foldCounts();
      exchanger = (address, options) => server.exchange(address, options);
      this.server = server;
    } else {
      this.server = new NtpServer(() => this.view(), this.host, requests, logger);
    }
    this.sync = local ? undefined : new TimeSync(this.disciplined, this.host, sources, { pollS: config.pollS, timeoutMs: config.timeoutMs, maxDistanceS: config.maxDistanceMs / 1000 }, clock, logger, exchanger);
    const status = (): TimeStatus => this.status();
    metrics.gauge('strata_ntp_offset_seconds', 'Source minus served time at the last sample', [], function () {
      this.set(status().offsetS);
    });
    metrics.gauge('strata_ntp_root_dispersion_seconds', 'Root dispersion announced', [], function () {
      this.set(status().rootDispersionS);
    });
    metrics.gauge('strata_ntp_synchronized', '1 when the node announces itself synchronised', [], function () {
      this.set(status().synchronized ? 1 : 0);
    });
  }

  async start(): Promise<number> {
    const port = await this.server.listen(this.config.listen);
    this.sync?.start();
    return port;
  }

  async stop(): Promise<void> {
    this.sync?.stop();
    await this.server.close();
  }

  /** Served time now, Unix ns. */
  nowNs(): bigint {
    return this.sync ? this.disciplined.nowNs() : this.host.nowNs();
  }

  status(): TimeStatus {
    const view = this.view();
    const source = this.sync?.source;
    const sample = this.sync?.sample;
    return {
      synchronized: view.leap !== LEAP_UNSYNCHRONIZED,
      stratum: view.stratum,
      leap: view.leap,
      source: this.sync ? (source ? `${source.name} (${formatHostPort(source.address)})` : '') : 'local',
      offsetS: sample ? sample.offsetS - this.disciplined.offsetAt(sample.hostNs) : 0,
      correctionS: this.sync ? this.disciplined.offsetAt(this.host.nowNs()) : 0,
      frequencyPpm: this.sync ? this.disciplined.frequency * 1e6 : 0,
      rootDelayS: view.rootDelayS,
      rootDispersionS: view.rootDispersionS,
      lastSyncMs: Number(view.referenceNs / 1_000_000n),
      sources: (this.sync?.selection ?? []).map((e) => ({ name: e.name, address: formatHostPort(e.address), state: e.state, stratum: e.stratum ?? 0, offsetS: e.offsetS ?? 0, distanceS: e.distanceS ?? 0 })),
    };
  }

  /** What the NTP worker serves from (its board), as of now. */
  private boardView(): BoardView {
    const view = this.view();
    return { ...view, local: !this.sync, publishedHostNs: this.host.nowNs(), clock: this.disciplined.state() };
  }

  private view(): ServerView {
    if (!this.sync) {
      const now = this.host.nowNs();
      // A host clock before this software existed (a board booted at 1970, no RTC) is not served as time.
      const plausible = now >= EARLIEST_PLAUSIBLE_NS;
      return { leap: plausible ? 0 : LEAP_UNSYNCHRONIZED, stratum: plausible ? this.config.localStratum : STRATUM_UNSYNCHRONIZED, refId: LOCAL_REFID, rootDelayS: 0, rootDispersionS: 2 ** PRECISION, referenceNs: now, servedAt: (h) => h };
    }
    const source = this.sync.source;
    const estimate = this.sync.estimate;
    const servedAt = (h: bigint): bigint => this.disciplined.servedAt(h);
    const last = this.disciplined.lastUpdate;
    if (!source || !estimate || last === undefined || !this.disciplined.isSynced) {
      return { leap: LEAP_UNSYNCHRONIZED, stratum: STRATUM_UNSYNCHRONIZED, refId: Buffer.alloc(4), rootDelayS: 0, rootDispersionS: 0, referenceNs: 0n, servedAt };
    }
    const rootDelayS = source.rootDelayS + estimate.best.delayS;
    const rootDispersionS = source.rootDispersionS + 2 ** PRECISION + estimate.jitterS + this.disciplined.slewRemainingS() + PHI * this.disciplined.sinceUpdateS();
    // A stratum-15 source makes us 16: unsynchronised (RFC 5905).
    const synced = rootDelayS / 2 + rootDispersionS <= this.config.maxDistanceMs / 1000 && source.stratum < 15;
    return {
      leap: synced ? (source.leap === LEAP_UNSYNCHRONIZED ? 0 : source.leap) : LEAP_UNSYNCHRONIZED,
      stratum: synced ? source.stratum + 1 : STRATUM_UNSYNCHRONIZED,
      refId: source.refId,
      rootDelayS,
      rootDispersionS,
      referenceNs: servedAt(last),
      servedAt,
    };
  }
}
