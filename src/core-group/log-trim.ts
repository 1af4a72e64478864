// The leader's trimming of the change logs in etcd: each dataset keeps its
// last `keepChanges` changes (a member further behind than that installs the
// dataset from its records instead). One transaction per dataset, guarded by
// its meta like a write, so a trim never races a write.

import type { EtcdPort } from './etcd-port';
import { decodeMeta, encodeJson, type SharedLayout } from './shared-log';

export async function trimSharedLogs(etcd: EtcdPort, layout: SharedLayout, keepChanges: number): Promise<number> {
  let removed = 0;
  for (let start = layout.metas; ; ) {
    const page = await etcd.range(start, `${layout.prefix}meta0`, 0, 200);
    for (const kv of page.kvs) {
      const dataset = decodeURIComponent(kv.key.slice(layout.metas.length));
      let meta;
      try {
        meta = decodeMeta(kv.value, dataset);
      } catch {
        continue; // not written by Strata (the mirror logs it)
      }
      const firstSeq = Math.max(meta.firstSeq, meta.seq - keepChanges + 1);
      if (firstSeq <= meta.firstSeq) continue;
      const ops = [
        { deleteFrom: layout.log(dataset, meta.firstSeq), to: layout.log(dataset, firstSeq) },
        { put: kv.key, value: encodeJson({ ...meta, firstSeq }) },
      ];
      if ((await etcd.txnIfUnchanged(kv.key, kv.modRevision, ops)).succeeded) removed += firstSeq - meta.firstSeq;
    }
    if (!page.more || page.kvs.length === 0) return removed;
    start = `${page.kvs[page.kvs.length - 1]!.key}\0`;
  }
}
