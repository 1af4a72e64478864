// Original file: proto/strata/v1/settings.proto

import type { Setting as _strata_v1_Setting, Setting__Output as _strata_v1_Setting__Output } from '../../strata/v1/Setting';

export interface SetSettingsRequest {
  'settings'?: (_strata_v1_Setting)[];
}

export interface SetSettingsRequest__Output {
  'settings': (_strata_v1_Setting__Output)[];
}
