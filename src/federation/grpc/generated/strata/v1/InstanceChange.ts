// Original file: proto/strata/v1/naming.proto

import type { Long } from '@grpc/proto-loader';

export interface InstanceChange {
  'owner'?: (string);
  'seq'?: (number | string | Long);
  'instances'?: (number);
}

export interface InstanceChange__Output {
  'owner': (string);
  'seq': (number);
  'instances': (number);
}
