// Original file: proto/strata/v1/link.proto

import type { Long } from '@grpc/proto-loader';

export interface Ack {
  'dataset'?: (string);
  'epoch'?: (string);
  'seq'?: (number | string | Long);
}

export interface Ack__Output {
  'dataset': (string);
  'epoch': (string);
  'seq': (number);
}
