// Original file: proto/strata/v1/link.proto

import type { Change as _strata_v1_Change, Change__Output as _strata_v1_Change__Output } from '../../strata/v1/Change';
import type { Long } from '@grpc/proto-loader';

export interface WriteResult {
  'id'?: (number | string | Long);
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'epoch'?: (string);
  'seq'?: (number | string | Long);
  'owner'?: (string);
  'changes'?: (_strata_v1_Change)[];
}

export interface WriteResult__Output {
  'id': (number);
  'errorCode': (string);
  'errorMessage': (string);
  'epoch': (string);
  'seq': (number);
  'owner': (string);
  'changes': (_strata_v1_Change__Output)[];
}
