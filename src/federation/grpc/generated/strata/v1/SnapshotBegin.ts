// Original file: proto/strata/v1/link.proto

import type { Long } from '@grpc/proto-loader';

export interface SnapshotBegin {
  'dataset'?: (string);
  'owner'?: (string);
  'epoch'?: (string);
  'seq'?: (number | string | Long);
  'entries'?: (number | string | Long);
}

export interface SnapshotBegin__Output {
  'dataset': (string);
  'owner': (string);
  'epoch': (string);
  'seq': (number);
  'entries': (number);
}
