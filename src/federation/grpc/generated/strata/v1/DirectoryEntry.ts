// Original file: proto/strata/v1/directory.proto

import type { DirectoryAttribute as _strata_v1_DirectoryAttribute, DirectoryAttribute__Output as _strata_v1_DirectoryAttribute__Output } from '../../strata/v1/DirectoryAttribute';

export interface DirectoryEntry {
  'dn'?: (string);
  'attributes'?: (_strata_v1_DirectoryAttribute)[];
}

export interface DirectoryEntry__Output {
  'dn': (string);
  'attributes': (_strata_v1_DirectoryAttribute__Output)[];
}
