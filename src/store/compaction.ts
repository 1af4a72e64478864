// Log compaction (DESIGN §2): drop the oldest changes a dataset's log no
// longer needs to keep. A change is kept if it is among the last keepChanges
// OR younger than keepMs; removal stops at the first change to keep, so the
// log stays contiguous from firstSeq to seq. Records are never touched; a
// replica whose cursor falls below firstSeq resyncs from a snapshot.

import type { Clock, Timer } from '../kernel/clock';
import type { Logger } from '../kernel/log';
import type { LmdbEnv } from './engine/lmdb-env';
import { logKey, type Tables } from './layout';
import type { CompactionPolicy } from './types';

/** Log entries removed per transaction, so writers are never held up for long. */
export const COMPACTION_BATCH = 10_000;

/**
 * Removes up to COMPACTION_BATCH expired changes from the head of the log of
 * `name` and advances its firstSeq. Runs inside a write transaction.
 * Returns how many were removed (less than the batch means "done").
 */
export function compactStep(tables: Tables, name: string, policy: CompactionPolicy, nowMs: number): number {
  const meta = tables.meta.get(name);
  if (!meta || meta.firstSeq > meta.seq) return 0;
  const keptByCount = meta.seq - policy.keepChanges; // seqs above this are among the last keepChanges
  if (keptByCount < meta.firstSeq) return 0;
  const start = logKey(meta.gen, meta.firstSeq);
  const end = logKey(meta.gen, keptByCount + 1);
  const expired: number[] = [];
  for (const { key, value } of tables.log.range({ start, end, limit: COMPACTION_BATCH })) {
    if (nowMs - value.timeMs < policy.keepMs) break;
    expired.push(key[1] as number);
  }
  if (expired.length === 0) return 0;
  for (const seq of expired) tables.log.remove(logKey(meta.gen, seq));
  meta.firstSeq = expired[expired.length - 1] + 1;
  tables.meta.put(name, meta);
  return expired.length;
}

/** Compacts each named dataset to the policy, a batch per transaction; returns changes removed. */
export async function compactDatasets(
  env: LmdbEnv,
  tables: Tables,
  names: readonly string[],
  policy: CompactionPolicy,
  clock: Clock,
  /** Called as each step's commit becomes visible (a dataset's firstSeq moved). */
  visible?: () => void,
): Promise<number> {
  let total = 0;
  for (const name of names) {
    for (;;) {
      const removed = await env.write(() => compactStep(tables, name, policy, clock.nowMs()), { visible });
      total += removed;
      if (removed < COMPACTION_BATCH) break;
    }
  }
  return total;
}

/** Compacts every dataset at an interval, one run at a time, logging what failed; until stop(). */
export class CompactionSchedule {
  private timer: Timer | undefined;
  private running = false;

  constructor(
    private readonly clock: Clock,
    /** Compacts every dataset; resolves with the changes removed. */
    private readonly compactAll: () => Promise<number>,
    private readonly stopped: () => boolean,
    private readonly logger: Logger,
    private readonly dir: string,
  ) {}

  start(intervalMs: number): void {
    this.timer?.cancel();
    this.timer = this.clock.setInterval(() => this.runOnce(), intervalMs).unref();
  }

  stop(): void {
    this.timer?.cancel();
  }

  private runOnce(): void {
    if (this.running || this.stopped()) return;
    this.running = true;
    void this.compactAll()
      .then(
        (removed) => removed > 0 && this.logger.debug({ removed }, 'compacted change logs'),
        (err: unknown) => this.logger.error({ err, dir: this.dir }, 'change log compaction failed; will retry'),
      )
      .finally(() => (this.running = false));
  }
}
