// Original file: proto/strata/v1/link.proto

import type { Entry as _strata_v1_Entry, Entry__Output as _strata_v1_Entry__Output } from '../../strata/v1/Entry';

export interface SnapshotChunk {
  'dataset'?: (string);
  'entries'?: (_strata_v1_Entry)[];
}

export interface SnapshotChunk__Output {
  'dataset': (string);
  'entries': (_strata_v1_Entry__Output)[];
}
