// Original file: proto/strata/v1/naming.proto

import type { Record as _strata_v1_Record, Record__Output as _strata_v1_Record__Output } from '../../strata/v1/Record';

export interface ListRecordsResponse {
  'zone'?: (string);
  'owner'?: (string);
  'records'?: (_strata_v1_Record)[];
}

export interface ListRecordsResponse__Output {
  'zone': (string);
  'owner': (string);
  'records': (_strata_v1_Record__Output)[];
}
