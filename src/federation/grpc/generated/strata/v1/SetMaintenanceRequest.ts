// Original file: proto/strata/v1/naming.proto

import type { InstanceRef as _strata_v1_InstanceRef, InstanceRef__Output as _strata_v1_InstanceRef__Output } from '../../strata/v1/InstanceRef';

export interface SetMaintenanceRequest {
  'ref'?: (_strata_v1_InstanceRef | null);
  'enable'?: (boolean);
}

export interface SetMaintenanceRequest__Output {
  'ref': (_strata_v1_InstanceRef__Output | null);
  'enable': (boolean);
}
