// Original file: proto/strata/v1/link.proto

import type { NodeReport as _strata_v1_NodeReport, NodeReport__Output as _strata_v1_NodeReport__Output } from '../../strata/v1/NodeReport';

export interface StatusReport {
  'nodes'?: (_strata_v1_NodeReport)[];
}

export interface StatusReport__Output {
  'nodes': (_strata_v1_NodeReport__Output)[];
}
