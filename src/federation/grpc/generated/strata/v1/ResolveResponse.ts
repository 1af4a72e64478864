// Original file: proto/strata/v1/naming.proto

import type { Record as _strata_v1_Record, Record__Output as _strata_v1_Record__Output } from '../../strata/v1/Record';

export interface ResolveResponse {
  'node'?: (string);
  'rcode'?: (string);
  'authoritative'?: (boolean);
  'answers'?: (_strata_v1_Record)[];
  'authorities'?: (_strata_v1_Record)[];
  'ede'?: (string);
}

export interface ResolveResponse__Output {
  'node': (string);
  'rcode': (string);
  'authoritative': (boolean);
  'answers': (_strata_v1_Record__Output)[];
  'authorities': (_strata_v1_Record__Output)[];
  'ede': (string);
}
