// Original file: proto/strata/v1/link.proto

import type { Long } from '@grpc/proto-loader';

export interface Cursor {
  'dataset'?: (string);
  'epoch'?: (string);
  'seq'?: (number | string | Long);
}

export interface Cursor__Output {
  'dataset': (string);
  'epoch': (string);
  'seq': (number);
}
