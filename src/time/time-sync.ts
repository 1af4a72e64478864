// Synchronisation from the sources (the parents' NTP servers, or the core's
// upstreams): at every poll an RFC 5905 client/server exchange (§8) with
// each of them, into a clock filter per source. Until synchronised it polls
// every 250 ms and a source counts once it gave 4 samples (like chrony's
// iburst), so the first step uses the least-delayed of them. Then it polls
// every 2 s while the corrections are large and doubles the interval up to
// pollS once four in a row were small, back to 2 s after a large one or a
// change of system peer (as chrony moves between minpoll and maxpoll). A
// sample whose round trip took far longer than the least of that source's
// recent ones (a popcorn spike: a queue on the way, a busy peer) is left out
// of its filter, so a burst of them cannot push the good ones out; after
// four in a row the path has changed: the filter starts again from the fifth.
//
// Selection (RFC 5905 §11.2.1, simplified): each source that answered one of
// the last two polls gives a correctness interval, its offset ± its root
// distance; the largest set of intervals that share a point, if it is a
// majority, are the truechimers and the others are left out (falsetickers).
// Without a majority (two sources that disagree) the one with the least root
// distance — the nearer the core's clock — is believed. The truechimers'
// offsets and frequencies are combined, weighted by 1 / root distance, so an
// overloaded source (long, jittery round trips) counts little; the system
// peer, whose stratum, reference ID and root delay the node announces, is
// the first of them in the sources' order (the current parent, then the
// fallbacks). A node whose sources all stop answering holds over.

import type { Clock, Timer } from '../kernel/clock';
import { formatHostPort, type HostPort } from '../kernel/host-port';
import type { Logger } from '../kernel/log';
import { ClockFilter, type Estimate, type Sample } from './clock-filter';
import { PHI, type DisciplinedClock } from './disciplined-clock';
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
/** A source that gave no usable reply to this many polls in a row is left out of selection (its filter is kept). */
const REACH_POLLS = 2;
/** Half-width of a correctness interval at least (ntpd's mindist): sources on one LAN within it always agree. */
export const MIN_INTERVAL_S = 0.001;
/** Root distance at least (for weights: a source measured to the microsecond is not infinitely better). */
const MIN_DISTANCE_S = 1e-6;

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
  private readonly peers = new Map<string, Peer>();
  private system: Peer | undefined;
  private lastEstimate: Estimate | undefined;
  private lastSelection: Selection[] = [];
  private timer: Timer | undefined;
  private stopped = false;
  private lostLogged = false;
  /** The poll interval once synchronised (FAST_POLL_MS … pollS), and the small corrections in a row at it. */
  private pollMs = FAST_POLL_MS;
  private settled = 0;
  /** Samples left out as popcorn spikes in all (for tests and status). */
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

  /** The system peer: the source whose stratum, reference ID and root delay are announced. */
  get source(): SourceState | undefined {
    return this.system?.state && { ...this.system.ref, ...this.system.state };
  }

  /** The system peer's filter estimate (its best sample's delay and its jitter go into root delay and dispersion). */
  get estimate(): Estimate | undefined {
    return this.lastEstimate;
  }

  /** The system peer's last accepted sample (offset of the source from the host clock). */
  get sample(): Sample | undefined {
    return this.system?.lastSample;
  }

  /** How each source fared in the last selection, in the sources' order. */
  get selection(): readonly Selection[] {
    return this.lastSelection;
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
    const sources = this.sources();
    const listed = new Set(sources.map(keyOf));
    for (const key of this.peers.keys()) if (!listed.has(key)) this.peers.delete(key);
    // One source after the other: two replies arriving together in one event loop would delay whichever is
    // read second, always the same source, and bias its offset by half that (a site polling its regional and
    // the core at once served ~0.13 ms behind).
    const replies: Array<Exchanged | undefined> = [];
    for (const source of sources) {
      replies.push(await this.exchanger(source.address, this.options));
      if (this.stopped) return;
    }
    let fresh = false;
    sources.forEach((source, i) => {
      const peer = this.peerOf(source);
      const reply = replies[i];
      if (!reply) {
        peer.missed++;
        return;
      }
      peer.missed = 0;
      peer.state = reply.state;
      if (this.isPopcorn(peer, reply.sample)) return;
      peer.filter.add(reply.sample);
      peer.lastSample = reply.sample;
      fresh = true;
    });
    for (const entry of this.lastSelection) {
      if ((this.peers.get(keyOf(entry))?.missed ?? REACH_POLLS) >= REACH_POLLS) entry.state = 'unreachable';
    }
    if (replies.every((r) => r === undefined)) {
      if (this.disciplined.isSynced && !this.lostLogged) {
        this.lostLogged = true;
        this.logger.warn({ sources: sources.map((s) => s.name) }, 'no time source answers; holding over on the last frequency estimate');
      }
      return;
    }
    this.lostLogged = false;
    if (fresh) this.select(sources);
  }

  private peerOf(source: SourceRef): Peer {
    const key = keyOf(source);
    let peer = this.peers.get(key);
    if (!peer) {
      peer = { ref: source, filter: new ClockFilter(), missed: 0, skipped: 0 };
      this.peers.set(key, peer);
    }
    return peer;
  }

  /** Selection, combination and the update of the served clock (see the head of this file). */
  private select(sources: SourceRef[]): void {
    const now = this.host.nowNs();
    const needed = this.disciplined.isSynced ? 1 : FIRST_SYNC_SAMPLES;
    const candidates: Candidate[] = [];
    const selection: Selection[] = [];
    for (const source of sources) {
      const peer = this.peers.get(keyOf(source))!;
      const entry: Selection = { name: source.name, address: source.address, state: 'unreachable' };
      selection.push(entry);
      if (peer.missed >= REACH_POLLS || !peer.state) continue;
      entry.state = 'pending';
      if (peer.filter.size < needed) continue;
      const estimate = peer.filter.estimate()!;
      const freq = estimate.freq ?? this.disciplined.frequency;
      const ageS = Number(now - estimate.best.hostNs) / 1e9;
      const offsetS = estimate.offsetS + freq * (Number(now - estimate.atNs) / 1e9);
      const distanceS = Math.max(MIN_DISTANCE_S, peer.state.rootDelayS / 2 + peer.state.rootDispersionS + estimate.best.delayS / 2 + estimate.jitterS + PHI * ageS);
      Object.assign(entry, { offsetS: offsetS - this.disciplined.offsetAt(now), distanceS, stratum: peer.state.stratum });
      candidates.push({ peer, estimate, offsetS, distanceS, freq: estimate.freq, entry });
    }
    this.lastSelection = selection;
    if (candidates.length === 0) return;
    const chosen = truechimers(candidates);
    for (const c of candidates) c.entry.state = chosen.includes(c) ? 'combined' : 'falseticker';
    const system = chosen[0]!;
    system.entry.state = 'system';
    if (this.system !== system.peer) {
      this.fastPoll();
      const falsetickers = candidates.filter((c) => !chosen.includes(c)).map((c) => c.peer.ref.name);
      this.logger.info({ source: system.peer.ref.name, address: formatHostPort(system.peer.ref.address), stratum: system.peer.state!.stratum, combined: chosen.length, falsetickers }, 'time source selected');
    }
    this.system = system.peer;
    this.lastEstimate = system.estimate;
    const weight = (c: Candidate): number => 1 / c.distanceS;
    const total = chosen.reduce((a, c) => a + weight(c), 0);
    const offsetS = chosen.reduce((a, c) => a + weight(c) * c.offsetS, 0) / total;
    // Frequency belongs to the host clock, not to a source: kept when no source's samples can tell (few, or new).
    const withFreq = chosen.filter((c) => c.freq !== undefined);
    const freqWeight = withFreq.reduce((a, c) => a + weight(c), 0);
    const freq = withFreq.length === 0 ? this.disciplined.frequency : withFreq.reduce((a, c) => a + weight(c) * c.freq!, 0) / freqWeight;
    const wasSynced = this.disciplined.isSynced;
    const correctionS = Math.abs(offsetS - this.disciplined.offsetAt(now));
    this.disciplined.update({ offsetS, freq });
    if (wasSynced) this.adaptPoll(correctionS);
  }

  /** A sample delayed far beyond the source's least recent delay: left out, unless that happened POPCORN_MAX_SKIPS times in a row. */
  private isPopcorn(peer: Peer, sample: Sample): boolean {
    const least = peer.filter.leastDelayS();
    if (least === undefined || sample.delayS <= POPCORN_FACTOR * least + POPCORN_MARGIN_S) {
      peer.skipped = 0;
      return false;
    }
    if (peer.skipped >= POPCORN_MAX_SKIPS) {
      // The path changed for good: the old, shorter round trips no longer describe it (kept, they would make every
      // later sample a spike again).
      peer.skipped = 0;
      peer.filter.clear();
      return false;
    }
    peer.skipped++;
    this.popcornTotal++;
    this.logger.debug({ source: peer.ref.name, delayMs: sample.delayS * 1000, leastMs: least * 1000 }, 'time sample left out: its round trip took far longer than the recent ones');
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

/** One source: its filter, what it said of itself last, and its recent replies. */
interface Peer {
  ref: SourceRef;
  filter: ClockFilter;
  state?: SourceSelf;
  lastSample?: Sample;
  /** Polls in a row without a usable reply. */
  missed: number;
  /** Samples left out in a row as popcorn spikes. */
  skipped: number;
}

/** A source's part in the last selection (like a line of `chronyc sources`). */
export interface Selection {
  name: string;
  address: HostPort;
  /** system: announced and combined; combined: a truechimer; falseticker: left out; pending: too few samples yet; unreachable: no reply in the last two polls. */
  state: 'system' | 'combined' | 'falseticker' | 'pending' | 'unreachable';
  stratum?: number;
  /** Source minus served time, and the source's root distance (the half-width of its correctness interval), seconds, at the selection. */
  offsetS?: number;
  distanceS?: number;
}

interface Candidate {
  peer: Peer;
  estimate: Estimate;
  offsetS: number;
  distanceS: number;
  freq: number | undefined;
  entry: Selection;
}

function keyOf(source: SourceRef): string {
  return `${source.name}@${formatHostPort(source.address)}`;
}

/**
 * The candidates whose correctness intervals (offset ± root distance, MIN_INTERVAL_S at least)
 * share a point with the most others (Marzullo's algorithm, as RFC 5905 §11.2.1 uses it), in their
 * order, if they are a majority; else the one with the least root distance.
 */
export function truechimers<T extends { offsetS: number; distanceS: number }>(candidates: T[]): T[] {
  const half = (c: T): number => Math.max(c.distanceS, MIN_INTERVAL_S);
  const edges = candidates.flatMap((c) => [
    { at: c.offsetS - half(c), step: 1 },
    { at: c.offsetS + half(c), step: -1 },
  ]);
  // Ends sort after starts at the same point: intervals that touch intersect.
  edges.sort((a, b) => a.at - b.at || b.step - a.step);
  let count = 0;
  let most = 0;
  let low = 0;
  let high = 0;
  edges.forEach((edge, i) => {
    count += edge.step;
    if (count > most) {
      most = count;
      low = edge.at;
      high = edges[i + 1]!.at;
    }
  });
  if (most * 2 > candidates.length) return candidates.filter((c) => c.offsetS - half(c) <= high && c.offsetS + half(c) >= low);
  return [candidates.reduce((a, b) => (b.distanceS < a.distanceS ? b : a))];
}
