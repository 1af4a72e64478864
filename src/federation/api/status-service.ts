// strata.v1.NodeStatusService: serves the node's own status, read from a
// StatusSource the composition root provides. It does not gather the status.

import type { NodeStatus } from '../grpc/generated/strata/v1/NodeStatus';
import type { NodeStatusServiceHandlers } from '../grpc/generated/strata/v1/NodeStatusService';
import type { GrpcServer } from '../grpc/grpc-adapter';
import { strataProto, toServiceError } from '../grpc/grpc-adapter';

export type { NodeStatus };

export interface StatusSource {
  nodeStatus(): NodeStatus;
}

export function addStatusService(server: GrpcServer, source: StatusSource): void {
  const handlers: NodeStatusServiceHandlers = {
    GetNodeStatus: (_call, callback) => {
      try {
        callback(null, { node: source.nodeStatus() });
      } catch (err) {
        callback(toServiceError(err));
      }
    },
  };
  server.addService(strataProto().NodeStatusService.service, handlers);
}
