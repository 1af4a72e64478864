// Original file: proto/strata/v1/dataset.proto

import type { Long } from '@grpc/proto-loader';

export interface DatasetHead {
  'dataset'?: (string);
  'epoch'?: (string);
  'seq'?: (number | string | Long);
  'seenMs'?: (number | string | Long);
}

export interface DatasetHead__Output {
  'dataset': (string);
  'epoch': (string);
  'seq': (number);
  'seenMs': (number);
}
