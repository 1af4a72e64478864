// Original file: proto/strata/v1/directory.proto

import type { DirectoryEntry as _strata_v1_DirectoryEntry, DirectoryEntry__Output as _strata_v1_DirectoryEntry__Output } from '../../strata/v1/DirectoryEntry';

export interface PutEntriesRequest {
  'entries'?: (_strata_v1_DirectoryEntry)[];
  'replace'?: (boolean);
}

export interface PutEntriesRequest__Output {
  'entries': (_strata_v1_DirectoryEntry__Output)[];
  'replace': (boolean);
}
