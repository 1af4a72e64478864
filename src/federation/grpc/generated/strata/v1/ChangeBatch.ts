// Original file: proto/strata/v1/link.proto

import type { Change as _strata_v1_Change, Change__Output as _strata_v1_Change__Output } from '../../strata/v1/Change';
import type { Long } from '@grpc/proto-loader';

export interface ChangeBatch {
  'dataset'?: (string);
  'owner'?: (string);
  'epoch'?: (string);
  'changes'?: (_strata_v1_Change)[];
  'headSeq'?: (number | string | Long);
  'headTimeMs'?: (number | string | Long);
}

export interface ChangeBatch__Output {
  'dataset': (string);
  'owner': (string);
  'epoch': (string);
  'changes': (_strata_v1_Change__Output)[];
  'headSeq': (number);
  'headTimeMs': (number);
}
