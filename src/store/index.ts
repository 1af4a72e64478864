// Public surface of the embedded store. Other folders import from here only.

export { Store } from './store';
export { newEpoch, newerEpoch, nextEpoch } from './datasets';
export type { SnapshotBuilder } from './snapshot';
export type { DatasetReads } from './records';
export { MAX_KEY_BYTES } from './validation';
export { DEFAULT_COMPACTION } from './types';
export type {
  ApplyResult,
  Change,
  ChangeOp,
  CompactionPolicy,
  Cursor,
  DatasetInfo,
  DatasetRole,
  Expectation,
  EntriesOptions,
  Entry,
  IndexQuery,
  Indexer,
  Mutation,
  SinceOptions,
  SinceResult,
  SnapshotReader,
  Sequencer,
  SharedHead,
  StoreOptions,
} from './types';
