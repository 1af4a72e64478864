// Original file: proto/strata/v1/settings.proto

import type { Long } from '@grpc/proto-loader';

export interface SetSettingResponse {
  'seq'?: (number | string | Long);
  'owner'?: (string);
}

export interface SetSettingResponse__Output {
  'seq': (number);
  'owner': (string);
}
