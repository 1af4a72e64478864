// Original file: proto/strata/v1/link.proto

import type { BindTicket as _strata_v1_BindTicket, BindTicket__Output as _strata_v1_BindTicket__Output } from '../../strata/v1/BindTicket';

export interface DirectoryPrincipal {
  'dn'?: (string);
  'ticket'?: (_strata_v1_BindTicket | null);
}

export interface DirectoryPrincipal__Output {
  'dn': (string);
  'ticket': (_strata_v1_BindTicket__Output | null);
}
