// Original file: proto/strata/v1/status.proto

import type { NodeStatus as _strata_v1_NodeStatus, NodeStatus__Output as _strata_v1_NodeStatus__Output } from '../../strata/v1/NodeStatus';

export interface GetNodeStatusResponse {
  'node'?: (_strata_v1_NodeStatus | null);
}

export interface GetNodeStatusResponse__Output {
  'node': (_strata_v1_NodeStatus__Output | null);
}
