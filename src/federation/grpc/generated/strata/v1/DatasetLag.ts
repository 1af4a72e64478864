// Original file: proto/strata/v1/link.proto

import type { Long } from '@grpc/proto-loader';

export interface DatasetLag {
  'name'?: (string);
  'owner'?: (string);
  'seq'?: (number | string | Long);
  'lagChanges'?: (number | string | Long);
  'lagMs'?: (number | string | Long);
}

export interface DatasetLag__Output {
  'name': (string);
  'owner': (string);
  'seq': (number);
  'lagChanges': (number);
  'lagMs': (number);
}
