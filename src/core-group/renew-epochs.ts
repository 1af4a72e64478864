// After etcd is restored from a snapshot, the core's datasets in etcd are
// older than what nodes below hold: the same epoch, lower seqs, and new writes
// would reuse seqs the replicas already hold for other changes (a forked
// history). `strata core-group renew-epochs` gives every dataset in etcd a new
// epoch: the members install it from etcd's records, and every replica below
// takes a snapshot — as `strata restore` does for a single-process core.

import { nextEpoch } from '../store';
import { errorMessage, UnavailableError } from '../kernel/errors';
import { prefixEnd, type EtcdPort } from './etcd-port';
import { decodeMeta, encodeJson, SharedLayout } from './shared-log';

const PAGE = 1000;

/** Renews every dataset's epoch under `prefix`; returns the names renewed and the keys passed over (not Strata's). */
export async function renewSharedEpochs(etcd: EtcdPort, prefix: string, nowMs: number): Promise<{ renewed: string[]; skipped: string[] }> {
  const layout = new SharedLayout(prefix);
  const renewed: string[] = [];
  const skipped: string[] = [];
  let start = layout.metas;
  for (;;) {
    const page = await etcd.range(start, prefixEnd(layout.metas), 0, PAGE);
    for (const kv of page.kvs) {
      const what = layout.parse(kv.key);
      if (what?.kind !== 'meta') continue;
      try {
        decodeMeta(kv.value, what.dataset);
      } catch (err) {
        skipped.push(`${kv.key} (${errorMessage(err)})`);
        continue;
      }
      await renewOne(etcd, kv.key, what.dataset, nowMs);
      renewed.push(what.dataset);
    }
    if (!page.more || page.kvs.length === 0) break;
    start = `${page.kvs[page.kvs.length - 1]!.key}\0`;
  }
  return { renewed, skipped };
}

/** Guarded by the key's mod revision: a write landing meanwhile keeps its seq, and the dataset is read and renewed again. */
async function renewOne(etcd: EtcdPort, key: string, dataset: string, nowMs: number): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const { kv } = await etcd.get(key);
    if (!kv) return;
    const meta = decodeMeta(kv.value, dataset);
    const { succeeded } = await etcd.txnIfUnchanged(key, kv.modRevision, [{ put: key, value: encodeJson({ ...meta, epoch: nextEpoch(meta.epoch, nowMs), firstSeq: meta.seq + 1 }) }]);
    if (succeeded) return;
  }
  throw new UnavailableError(`the meta of ${dataset} in etcd kept changing under 10 attempts to renew its epoch; try again when writes are quieter`);
}
