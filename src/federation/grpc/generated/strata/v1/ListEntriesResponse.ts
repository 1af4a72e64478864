// Original file: proto/strata/v1/directory.proto

import type { DirectoryEntry as _strata_v1_DirectoryEntry, DirectoryEntry__Output as _strata_v1_DirectoryEntry__Output } from '../../strata/v1/DirectoryEntry';

export interface ListEntriesResponse {
  'node'?: (string);
  'entries'?: (_strata_v1_DirectoryEntry)[];
}

export interface ListEntriesResponse__Output {
  'node': (string);
  'entries': (_strata_v1_DirectoryEntry__Output)[];
}
