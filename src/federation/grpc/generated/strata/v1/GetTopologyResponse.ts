// Original file: proto/strata/v1/topology.proto

import type { NodeReport as _strata_v1_NodeReport, NodeReport__Output as _strata_v1_NodeReport__Output } from '../../strata/v1/NodeReport';
import type { Long } from '@grpc/proto-loader';

export interface GetTopologyResponse {
  'node'?: (string);
  'nodes'?: (_strata_v1_NodeReport)[];
  'nowMs'?: (number | string | Long);
}

export interface GetTopologyResponse__Output {
  'node': (string);
  'nodes': (_strata_v1_NodeReport__Output)[];
  'nowMs': (number);
}
