// Original file: proto/strata/v1/settings.proto

import type { Setting as _strata_v1_Setting, Setting__Output as _strata_v1_Setting__Output } from '../../strata/v1/Setting';
import type { Long } from '@grpc/proto-loader';

export interface ListSettingsResponse {
  'settings'?: (_strata_v1_Setting)[];
  'seq'?: (number | string | Long);
}

export interface ListSettingsResponse__Output {
  'settings': (_strata_v1_Setting__Output)[];
  'seq': (number);
}
