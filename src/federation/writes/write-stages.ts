// How long each stage of a write takes, as histograms on /metrics
// (strata_write_stage_seconds{stage}) and in `npm run bench -- writes`:
//   authorise  the call's guards (caller certificate, revocation, operator)
//   commit     the owner's transaction, until visible
//   durable    the wait after the commit until it is on disk
//   forward    a write sent toward its owner over a link, until answered
//   visible    after the owner answered, until the change reached this node (read-your-writes)
//   total      an API write call, from its handler being called until it is answered
// and at a member of a core group (the core's datasets are written through etcd):
//   etcd-read    reading the dataset's head from etcd
//   etcd-commit  the etcd transaction (etcd's own replication and fsync included)
//   mirror       waiting for, then applying to, this member's copy
// (Replication below the owner is timed by the benchmark from the nodes'
// change heads, as in `bench -- propagation`.)

import type { Metrics } from '../../kernel/metrics';

export type WriteStage = 'authorise' | 'commit' | 'durable' | 'forward' | 'visible' | 'total' | 'etcd-read' | 'etcd-commit' | 'mirror';
export type TimedStage = (stage: WriteStage, ms: number) => void;

export const WRITE_STAGE_METRIC = 'strata_write_stage_seconds';

/** Bucket bounds (seconds) fine enough below a millisecond, where a local write's stages are. */
const BUCKETS = [0.00005, 0.0001, 0.0002, 0.0003, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2, 0.5, 1, 2, 5];

export function writeStageTimer(metrics: Metrics): TimedStage {
  const histogram = metrics.histogram(WRITE_STAGE_METRIC, 'Time spent in each stage of a write (see write-stages.ts): authorise, commit, durable, forward, visible, total', BUCKETS, ['stage']);
  return (stage, ms) => histogram.observe({ stage }, ms / 1000);
}
