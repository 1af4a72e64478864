// Original file: proto/strata/v1/status.proto

import type { Long } from '@grpc/proto-loader';

export interface DatasetStatus {
  'name'?: (string);
  'owner'?: (string);
  'role'?: (string);
  'epoch'?: (string);
  'seq'?: (number | string | Long);
  'firstSeq'?: (number | string | Long);
  'entries'?: (number | string | Long);
  'updatedMs'?: (number | string | Long);
}

export interface DatasetStatus__Output {
  'name': (string);
  'owner': (string);
  'role': (string);
  'epoch': (string);
  'seq': (number);
  'firstSeq': (number);
  'entries': (number);
  'updatedMs': (number);
}
