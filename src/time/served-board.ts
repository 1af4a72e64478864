// What the NTP worker (ntp-worker.ts) needs to answer, in shared memory: the
// node's main thread publishes the correction and the server view (leap,
// stratum, reference, root delay and dispersion) at every change and every
// PUBLISH_MS; the worker reads it for each request without waiting for the
// main thread. A sequence number makes each read consistent (a seqlock: odd
// while a write is in progress). Request counts flow back the same way.

import type { ClockState } from './disciplined-clock';
import type { ServerView } from './ntp-server';

/** What the worker answers with (the server view without its function), as of `publishedHostNs` (host time). */
export type BoardView = Omit<ServerView, 'servedAt'> & {
  /** Serving the host clock itself (the core with no upstreams): no correction. */
  local: boolean;
  /** The root dispersion is as of this instant; the worker adds PHI per second since. */
  publishedHostNs: bigint;
  clock: ClockState;
};

export const COUNTED = ['answered', 'unsynchronised', 'malformed', 'ignored'] as const;
export type CountedResult = (typeof COUNTED)[number];

const I32 = { seq: 0, leap: 1, stratum: 2, local: 3, refId: 4, counters: 5 } as const;
const I32_SLOTS = I32.counters + COUNTED.length;
const F64 = { anchorOffsetS: 0, freq: 1, slewRate: 2, slewUntilS: 3, rootDelayS: 4, rootDispersionS: 5 } as const;
const F64_SLOTS = 6;
const I64 = { anchorNs: 0, referenceNs: 1, publishedHostNs: 2 } as const;
const I64_SLOTS = 3;
const F64_OFFSET = Math.ceil((I32_SLOTS * 4) / 8) * 8;
const I64_OFFSET = F64_OFFSET + F64_SLOTS * 8;
const BYTES = I64_OFFSET + I64_SLOTS * 8;

export class ServedBoard {
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private readonly i64: BigInt64Array;

  /** A new board, or a view of one shared by another thread. */
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(BYTES)) {
    this.i32 = new Int32Array(buffer, 0, I32_SLOTS);
    this.f64 = new Float64Array(buffer, F64_OFFSET, F64_SLOTS);
    this.i64 = new BigInt64Array(buffer, I64_OFFSET, I64_SLOTS);
  }

  /** Main thread only (one writer). */
  publish(view: BoardView): void {
    Atomics.add(this.i32, I32.seq, 1); // odd: writing
    Atomics.store(this.i32, I32.leap, view.leap);
    Atomics.store(this.i32, I32.stratum, view.stratum);
    Atomics.store(this.i32, I32.local, view.local ? 1 : 0);
    Atomics.store(this.i32, I32.refId, view.refId.readInt32BE(0));
    this.f64[F64.anchorOffsetS] = view.clock.anchorOffsetS;
    this.f64[F64.freq] = view.clock.freq;
    this.f64[F64.slewRate] = view.clock.slewRate;
    this.f64[F64.slewUntilS] = view.clock.slewUntilS;
    this.f64[F64.rootDelayS] = view.rootDelayS;
    this.f64[F64.rootDispersionS] = view.rootDispersionS;
    Atomics.store(this.i64, I64.anchorNs, view.clock.anchorNs);
    Atomics.store(this.i64, I64.referenceNs, view.referenceNs);
    Atomics.store(this.i64, I64.publishedHostNs, view.publishedHostNs);
    Atomics.add(this.i32, I32.seq, 1); // even: done
  }

  /** The last view read, and the sequence number it was read at: unchanged until the next publish. */
  private cached: { seq: number; view: BoardView } | undefined;

  /** A consistent view, or undefined before the first publish; the same object until the next publish (read per request). */
  read(): BoardView | undefined {
    for (;;) {
      const before = Atomics.load(this.i32, I32.seq);
      if (before === 0) return undefined;
      if (before % 2 === 1) continue;
      if (this.cached?.seq === before) return this.cached.view;
      const refId = Buffer.alloc(4);
      refId.writeInt32BE(Atomics.load(this.i32, I32.refId), 0);
      const view: BoardView = {
        leap: Atomics.load(this.i32, I32.leap),
        stratum: Atomics.load(this.i32, I32.stratum),
        local: Atomics.load(this.i32, I32.local) === 1,
        refId,
        rootDelayS: this.f64[F64.rootDelayS]!,
        rootDispersionS: this.f64[F64.rootDispersionS]!,
        referenceNs: Atomics.load(this.i64, I64.referenceNs),
        publishedHostNs: Atomics.load(this.i64, I64.publishedHostNs),
        clock: {
          anchorNs: Atomics.load(this.i64, I64.anchorNs),
          anchorOffsetS: this.f64[F64.anchorOffsetS]!,
          freq: this.f64[F64.freq]!,
          slewRate: this.f64[F64.slewRate]!,
          slewUntilS: this.f64[F64.slewUntilS]!,
        },
      };
      if (Atomics.load(this.i32, I32.seq) === before) {
        this.cached = { seq: before, view };
        return view;
      }
    }
  }

  /** Worker: one more request with this result. */
  count(result: CountedResult): void {
    Atomics.add(this.i32, I32.counters + COUNTED.indexOf(result), 1);
  }

  /** Requests counted so far, by result (wrapping at 2^31 is fine: callers take differences). */
  counts(): Record<CountedResult, number> {
    return Object.fromEntries(COUNTED.map((r, i) => [r, Atomics.load(this.i32, I32.counters + i)])) as Record<CountedResult, number>;
  }
}
