// Original file: proto/strata/v1/link.proto

import type { Mutation as _strata_v1_Mutation, Mutation__Output as _strata_v1_Mutation__Output } from '../../strata/v1/Mutation';
import type { Principal as _strata_v1_Principal, Principal__Output as _strata_v1_Principal__Output } from '../../strata/v1/Principal';
import type { Long } from '@grpc/proto-loader';

export interface WriteRequest {
  'id'?: (number | string | Long);
  'dataset'?: (string);
  'mutations'?: (_strata_v1_Mutation)[];
  'origin'?: (string);
  'hops'?: (number);
  'timeoutMs'?: (number);
  'ownerHint'?: (string);
  'principal'?: (_strata_v1_Principal | null);
}

export interface WriteRequest__Output {
  'id': (number);
  'dataset': (string);
  'mutations': (_strata_v1_Mutation__Output)[];
  'origin': (string);
  'hops': (number);
  'timeoutMs': (number);
  'ownerHint': (string);
  'principal': (_strata_v1_Principal__Output | null);
}
