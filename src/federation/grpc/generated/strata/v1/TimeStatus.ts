// Original file: proto/strata/v1/status.proto

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
}
