// Original file: proto/strata/v1/naming.proto

import type { Long } from '@grpc/proto-loader';

export interface RecordChange {
  'zone'?: (string);
  'owner'?: (string);
  'seq'?: (number | string | Long);
  'records'?: (number);
}

export interface RecordChange__Output {
  'zone': (string);
  'owner': (string);
  'seq': (number);
  'records': (number);
}
