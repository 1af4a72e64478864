// strata.v1.TopologyService: the node's own report and those of every node
// below it (at the core, the whole federation), for `strata status`.

import type { TopologyServiceHandlers } from '../grpc/generated/strata/v1/TopologyService';
import type { NodeReport } from '../grpc/generated/strata/v1/NodeReport';
import { strataProto, toServiceError, type GrpcServer } from '../grpc/grpc-adapter';

export interface TopologySource {
  nodeName: string;
  nowMs(): number;
  reports(): NodeReport[];
}

export function addTopologyService(server: GrpcServer, source: TopologySource): void {
  const handlers: TopologyServiceHandlers = {
    GetTopology: (_call, callback) => {
      try {
        callback(null, { node: source.nodeName, nodes: source.reports(), nowMs: source.nowMs() });
      } catch (err) {
        callback(toServiceError(err));
      }
    },
  };
  server.addService(strataProto().TopologyService.service, handlers);
}
