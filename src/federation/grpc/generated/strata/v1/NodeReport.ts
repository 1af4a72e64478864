// Original file: proto/strata/v1/link.proto

import type { DatasetLag as _strata_v1_DatasetLag, DatasetLag__Output as _strata_v1_DatasetLag__Output } from '../../strata/v1/DatasetLag';
import type { ClockReport as _strata_v1_ClockReport, ClockReport__Output as _strata_v1_ClockReport__Output } from '../../strata/v1/ClockReport';
import type { Long } from '@grpc/proto-loader';

export interface NodeReport {
  'name'?: (string);
  'tier'?: (string);
  'parent'?: (string);
  'connected'?: (boolean);
  'lastSeenMs'?: (number | string | Long);
  'datasets'?: (_strata_v1_DatasetLag)[];
  'grpcAddress'?: (string);
  'uptimeMs'?: (number | string | Long);
  'clock'?: (_strata_v1_ClockReport | null);
}

export interface NodeReport__Output {
  'name': (string);
  'tier': (string);
  'parent': (string);
  'connected': (boolean);
  'lastSeenMs': (number);
  'datasets': (_strata_v1_DatasetLag__Output)[];
  'grpcAddress': (string);
  'uptimeMs': (number);
  'clock': (_strata_v1_ClockReport__Output | null);
}
