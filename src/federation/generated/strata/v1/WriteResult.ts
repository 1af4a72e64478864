// Original file: proto/strata/v1/link.proto

import type { Long } from '@grpc/proto-loader';

export interface WriteResult {
  'id'?: (number | string | Long);
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'epoch'?: (string);
  'seq'?: (number | string | Long);
  'owner'?: (string);
}

export interface WriteResult__Output {
  'id': (number);
  'errorCode': (string);
  'errorMessage': (string);
  'epoch': (string);
  'seq': (number);
  'owner': (string);
}
