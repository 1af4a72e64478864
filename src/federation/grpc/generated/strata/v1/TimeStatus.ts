// Original file: proto/strata/v1/status.proto

import type { TimeSource as _strata_v1_TimeSource, TimeSource__Output as _strata_v1_TimeSource__Output } from '../../strata/v1/TimeSource';
import type { Long } from '@grpc/proto-loader';

export interface TimeStatus {
  'synchronized'?: (boolean);
  'stratum'?: (number);
  'leap'?: (number);
  'source'?: (string);
  'offsetS'?: (number | string);
  'correctionS'?: (number | string);
  'frequencyPpm'?: (number | string);
  'rootDelayS'?: (number | string);
  'rootDispersionS'?: (number | string);
  'lastSyncMs'?: (number | string | Long);
  'sources'?: (_strata_v1_TimeSource)[];
}

export interface TimeStatus__Output {
  'synchronized': (boolean);
  'stratum': (number);
  'leap': (number);
  'source': (string);
  'offsetS': (number);
  'correctionS': (number);
  'frequencyPpm': (number);
  'rootDelayS': (number);
  'rootDispersionS': (number);
  'lastSyncMs': (number);
  'sources': (_strata_v1_TimeSource__Output)[];
}
