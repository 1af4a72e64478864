// `strata core-group renew-epochs`: the step after restoring a core group's
// etcd from a snapshot (README "Backing up a core group").

import { SystemClock } from '../kernel/clock';
import { EtcdPort } from '../core-group/etcd-port';
import { renewSharedEpochs } from '../core-group/renew-epochs';

export async function runRenewEpochs(endpoints: string[], prefix: string, out: (line: string) => void): Promise<void> {
  const clock = new SystemClock();
  const etcd = new EtcdPort({ endpoints, callTimeoutMs: 5000, nowMs: () => clock.nowMs() });
  try {
    const { renewed, skipped } = await renewSharedEpochs(etcd, prefix, clock.nowMs());
    out(`renewed the epoch of ${renewed.length} datasets under ${prefix} in etcd (${endpoints.join(', ')}): the members install them from etcd and every node below takes a snapshot`);
    for (const key of skipped) out(`passed over ${key}: not written by Strata`);
  } finally {
    etcd.close();
  }
}
