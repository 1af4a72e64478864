// Synchronisation from the sources (the parents' NTP servers, or the core's
// upstreams): the RFC 5905 on-wire exchange (§8) with one source at a time —
// the first in order that answers — into the clock filter, whose estimate
// disciplines the served clock. Until synchronised it polls every 250 ms and
// waits for 4 samples (like chrony's iburst), so the first step uses the
// least-delayed of them. Then it polls every 2 s while the corrections are
// large and doubles the interval up to pollS once four in a row were small,
// back to 2 s after a large one (as chrony moves between minpoll and
// maxpoll). A sample whose round trip took far longer than the least of the
// recent ones (a popcorn spike: a queue on the way, a busy peer) is left out
// of the filter, so a burst of them cannot push the good ones out; after
// four in a row the path has changed and they count again. A source that
// stops answering leaves the clock in holdover; the next in order is tried
// at each poll.

import type { Clock, Timer } from '../kernel/clock';
import { formatHostPort, type HostPort } from '../kernel/host-port';
import type { Logger } from '../kernel/log';
import { ClockFilter, type Estimate, type Sample } from './clock-filter';
import type { DisciplinedClock } from './disciplined-clock';
import type { HostTime } from './host-time';
import { ntpExchange, type ExchangeOptions, type Exchanged, type SourceSelf } from './ntp-exchange';

/** Until synchronised: polls this often, and the first update waits for this many samples (like chrony's iburst). */
const BURST_INTERVAL_MS = 250;
const FIRST_SYNC_SAMPLES = 4;
/** Once synchronised: the shortest poll, and how many small corrections in a row double it (up to pollS). */
export const FAST_POLL_MS = 2000;
const SETTLED_UPDATES = 4;
/** A correction at most this large counts as settled; one over 4 × this polls fast again. */
export const SETTLED_S = 0.0005;
/** Popcorn spikes: a delay over POPCORN_FACTOR × the least recent delay + POPCORN_MARGIN_S is left out, POPCORN_MAX_SKIPS times in a row at most. */
const POPCORN_FACTOR = 2;
const POPCORN_MARGIN_S = 0.0005;
const POPCORN_MAX_SKIPS = 4;

export interface SourceRef {
  name: string;
  address: HostPort;
}

/** The source in use and what it said of itself in its last good reply. */
export interface SourceState extends SourceRef, SourceSelf {}

export type SyncOptions = ExchangeOptions;

/** How an exchange with a source is made: in this thread, or by the NTP worker (off the node's event loop). */
export type Exchanger = (address: HostPort, options: ExchangeOptions) => Promise<Exchanged | undefined>;

export class TimeSync {
  private readonly filter = new ClockFilter();
  private current: SourceState | undefined;
  private lastEstimate: Estimate | undefined;
  private lastSample: Sample | undefined;
  private timer: Timer | undefined;
  private stopped = false;
  private lostLogged = false;
  /** The poll interval once synchronised (FAST_POLL_MS … pollS), and the small corrections in a row at it. */
  private pollMs = FAST_POLL_MS;
  private settled = 0;
  /** Samples left out in a row as popcorn spikes, and how many in all (for tests and status). */
  private skipped = 0;
  private popcornTotal = 0;
  /** Ends each exchange in flight (on stop). */
  private readonly inFlight = new Set<() => void>();

  constructor(
    private readonly disciplined: DisciplinedClock,
    private readonly host: HostTime,
    private readonly sources: () => SourceRef[],
    private readonly options: SyncOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
    exchanger?: Exchanger,
  ) {
    this.exchanger = exchanger ?? ((address, options) => ntpExchange(address, options, { host: this.host, servedAt: (h) => this.disciplined.servedAt(h), clock: this.clock }, this.inFlight));
  }

  private readonly exchanger: Exchanger;

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

  /** The interval of the next poll once synchronised (ms). */
  get pollIntervalMs(): number {
    return Math.min(this.pollMs, this.options.pollS * 1000);
  }

  /** Samples left out as popcorn spikes since start. */
  get popcornSpikes(): number {
    return this.popcornTotal;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.poll()
        .catch((err: unknown) => this.logger.error({ err }, 'time poll failed'))
        .finally(() => this.schedule(this.disciplined.isSynced ? this.pollIntervalMs : BURST_INTERVAL_MS));
    }, delayMs);
  }

  private async poll(): Promise<void> {
    for (const source of this.sources()) {
      if (this.stopped) return;
      const reply = await this.exchanger(source.address, this.options);
      if (this.stopped) return;
      if (!reply) continue;
      this.accept(source, reply.sample, reply.state);
      return;
    }
    if (this.disciplined.isSynced && !this.lostLogged) {
      this.lostLogged = true;
      this.logger.warn({ sources: this.sources().map((s) => s.name) }, 'no time source answers; holding over on the last frequency estimate');
    }
  }

  private accept(source: SourceRef, sample: Sample, state: SourceSelf): void {
    if (this.stopped) return;
    if (this.current?.name !== source.name || formatHostPort(this.current.address) !== formatHostPort(source.address)) {
      this.filter.clear();
      this.skipped = 0;
      this.fastPoll();
      this.logger.info({ source: source.name, address: formatHostPort(source.address), stratum: state.stratum }, 'time source selected');
    }
    this.lostLogged = false;
    this.current = { ...source, ...state };
    if (this.isPopcorn(sample)) return;
    this.filter.add(sample);
    this.lastSample = sample;
    if (!this.disciplined.isSynced && this.filter.size < FIRST_SYNC_SAMPLES) return;
    const estimate = this.filter.estimate()!;
    this.lastEstimate = estimate;
    const now = this.host.nowNs();
    // Frequency belongs to the host clock, not to the source: kept when the samples cannot tell (few, or a new source).
    const freq = estimate.freq ?? this.disciplined.frequency;
    const offsetS = estimate.best.offsetS + (freq * Number(now - estimate.best.hostNs)) / 1e9;
    const wasSynced = this.disciplined.isSynced;
    const correctionS = Math.abs(offsetS - this.disciplined.offsetAt(now));
    this.disciplined.update({ offsetS, freq });
    if (wasSynced) this.adaptPoll(correctionS);
  }

  /** A sample delayed far beyond the least recent delay: left out, unless that happened POPCORN_MAX_SKIPS times in a row. */
  private isPopcorn(sample: Sample): boolean {
    const least = this.filter.leastDelayS();
    if (least === undefined || sample.delayS <= POPCORN_FACTOR * least + POPCORN_MARGIN_S || this.skipped >= POPCORN_MAX_SKIPS) {
      this.skipped = 0;
      return false;
    }
    this.skipped++;
    this.popcornTotal++;
    this.logger.debug({ delayMs: sample.delayS * 1000, leastMs: least * 1000 }, 'time sample left out: its round trip took far longer than the recent ones');
    return true;
  }

  /** Small corrections in a row lengthen the poll (up to pollS); a large one shortens it to FAST_POLL_MS. */
  private adaptPoll(correctionS: number): void {
    if (correctionS > 4 * SETTLED_S) return this.fastPoll();
    if (correctionS > SETTLED_S) {
      this.settled = 0;
      return;
    }
    if (++this.settled < SETTLED_UPDATES) return;
    this.settled = 0;
    this.pollMs = Math.min(this.pollMs * 2, this.options.pollS * 1000);
  }

  private fastPoll(): void {
    this.pollMs = FAST_POLL_MS;
    this.settled = 0;
  }
}

