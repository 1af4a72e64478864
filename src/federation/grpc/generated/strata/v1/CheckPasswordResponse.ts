// Original file: proto/strata/v1/directory.proto

import type { BindTicket as _strata_v1_BindTicket, BindTicket__Output as _strata_v1_BindTicket__Output } from '../../strata/v1/BindTicket';

export interface CheckPasswordResponse {
  'result'?: (string);
  'ticket'?: (_strata_v1_BindTicket | null);
}

export interface CheckPasswordResponse__Output {
  'result': (string);
  'ticket': (_strata_v1_BindTicket__Output | null);
}
