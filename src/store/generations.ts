// Lifecycle of generations that no dataset points at: a staging generation
// being filled by a snapshot build, and garbage left by a swap or a drop.
// Markers in the internal table make both survive a crash: on open, staging
// left by a dead build becomes garbage, and garbage is swept in small
// transactions so a big dataset never holds the write lock for long.
// It does not decide when a swap happens (snapshot.ts does).

import type { Logger } from '../kernel/log';
import type { LmdbEnv, Table, TableKey } from './engine/lmdb-env';
import {
  allocateGen,
  GARBAGE,
  genRange,
  markerKey,
  STAGING,
  type GarbageMarker,
  type StagingMarker,
  type Tables,
} from './layout';

/** Keys removed per sweep transaction. */
export const SWEEP_BATCH = 5000;

export function beginStaging(tables: Tables, dataset: string): number {
  const gen = allocateGen(tables);
  const marker: StagingMarker = { dataset, entries: 0 };
  tables.internal.put(markerKey(STAGING, gen), marker);
  return gen;
}

export function stagingMarker(tables: Tables, gen: number): StagingMarker | undefined {
  return tables.internal.get(markerKey(STAGING, gen)) as StagingMarker | undefined;
}

export function updateStaging(tables: Tables, gen: number, marker: StagingMarker): void {
  tables.internal.put(markerKey(STAGING, gen), marker);
}

/** The generation is no longer (or never was) reachable; sweep it later. */
export function discardGen(tables: Tables, gen: number, dataset: string): void {
  tables.internal.remove(markerKey(STAGING, gen));
  const marker: GarbageMarker = { dataset };
  tables.internal.put(markerKey(GARBAGE, gen), marker);
}

/** On open: builds that did not commit before a crash are garbage now. */
export function discardAllStaging(tables: Tables): number {
  const gens = [...tables.internal.range({ start: [STAGING, 0], end: [STAGING, Number.MAX_SAFE_INTEGER] })];
  for (const { key, value } of gens) {
    discardGen(tables, (key as [string, number])[1], (value as StagingMarker).dataset);
  }
  return gens.length;
}

export function hasGarbage(tables: Tables): boolean {
  return firstGarbage(tables) !== undefined;
}

/** Removes up to SWEEP_BATCH keys of the oldest garbage generation; returns keys removed. */
export function sweepStep(tables: Tables): number {
  const gen = firstGarbage(tables);
  if (gen === undefined) return 0;
  let removed = removeKeys(tables.records as Table<TableKey, unknown>, gen, SWEEP_BATCH);
  removed += removeKeys(tables.log as Table<TableKey, unknown>, gen, SWEEP_BATCH - removed);
  removed += removeKeys(tables.index as Table<TableKey, unknown>, gen, SWEEP_BATCH - removed);
  if (removed < SWEEP_BATCH) tables.internal.remove(markerKey(GARBAGE, gen));
  return removed;
}

/**
 * Runs sweeps in the background, one at a time. Markers are durable, so a
 * sweep cut short by stop() simply continues after the next open.
 */
export class Sweeper {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly env: LmdbEnv,
    private readonly tables: Tables,
    private readonly logger: Logger,
  ) {}

  sweepSoon(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
  }

  /** Stops after the current step; resolves when it has. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        while (!this.stopped && hasGarbage(this.tables)) await this.env.write(() => sweepStep(this.tables));
      } while (this.again && !this.stopped);
    } catch (err) {
      this.logger.error({ err, dir: this.env.dir }, 'sweeping discarded dataset generations failed; will retry after restart');
    }
  }
}

function firstGarbage(tables: Tables): number | undefined {
  for (const key of tables.internal.keys({ start: [GARBAGE, 0], end: [GARBAGE, Number.MAX_SAFE_INTEGER], limit: 1 })) {
    return (key as [string, number])[1];
  }
  return undefined;
}

function removeKeys(table: Table<TableKey, unknown>, gen: number, max: number): number {
  if (max <= 0) return 0;
  const keys = [...table.keys({ ...genRange(gen), limit: max })];
  for (const key of keys) table.remove(key);
  return keys.length;
}
