// What opening a store does before it serves (the owning process only; a
// read-only opener leaves it to the owner): snapshot builds a crash
// interrupted are discarded, and the secondary indexes are rebuilt when
// their definition changed since they were written.

import type { Logger } from '../kernel/log';
import type { LmdbEnv } from './engine/lmdb-env';
import { discardAllStaging } from './generations';
import { rebuildIfChanged } from './indexes';
import type { Tables } from './layout';
import { storeFailure } from './store-error';

export async function recoverOnOpen(env: LmdbEnv, tables: Tables, dir: string, logger: Logger, indexerVersion: string | undefined): Promise<void> {
  try {
    await env.write(() => discardAllStaging(tables));
  } catch (err) {
    throw storeFailure('recovery of unfinished snapshots', dir, err);
  }
  try {
    const rebuilt = await env.write(() => rebuildIfChanged(tables));
    if (rebuilt > 0) logger.info({ records: rebuilt, version: indexerVersion }, 'rebuilt the secondary indexes (their definition changed)');
  } catch (err) {
    throw storeFailure('rebuild of the secondary indexes', dir, err);
  }
}
