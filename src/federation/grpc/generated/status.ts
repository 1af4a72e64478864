import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { DatasetStatus as _strata_v1_DatasetStatus, DatasetStatus__Output as _strata_v1_DatasetStatus__Output } from './strata/v1/DatasetStatus';
import type { GetNodeStatusRequest as _strata_v1_GetNodeStatusRequest, GetNodeStatusRequest__Output as _strata_v1_GetNodeStatusRequest__Output } from './strata/v1/GetNodeStatusRequest';
import type { GetNodeStatusResponse as _strata_v1_GetNodeStatusResponse, GetNodeStatusResponse__Output as _strata_v1_GetNodeStatusResponse__Output } from './strata/v1/GetNodeStatusResponse';
import type { NodeStatus as _strata_v1_NodeStatus, NodeStatus__Output as _strata_v1_NodeStatus__Output } from './strata/v1/NodeStatus';
import type { NodeStatusServiceClient as _strata_v1_NodeStatusServiceClient, NodeStatusServiceDefinition as _strata_v1_NodeStatusServiceDefinition } from './strata/v1/NodeStatusService';
import type { ParentRef as _strata_v1_ParentRef, ParentRef__Output as _strata_v1_ParentRef__Output } from './strata/v1/ParentRef';
import type { ServiceEndpoint as _strata_v1_ServiceEndpoint, ServiceEndpoint__Output as _strata_v1_ServiceEndpoint__Output } from './strata/v1/ServiceEndpoint';
import type { TimeSource as _strata_v1_TimeSource, TimeSource__Output as _strata_v1_TimeSource__Output } from './strata/v1/TimeSource';
import type { TimeStatus as _strata_v1_TimeStatus, TimeStatus__Output as _strata_v1_TimeStatus__Output } from './strata/v1/TimeStatus';
import type { Versions as _strata_v1_Versions, Versions__Output as _strata_v1_Versions__Output } from './strata/v1/Versions';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  strata: {
    v1: {
      DatasetStatus: MessageTypeDefinition<_strata_v1_DatasetStatus, _strata_v1_DatasetStatus__Output>
      GetNodeStatusRequest: MessageTypeDefinition<_strata_v1_GetNodeStatusRequest, _strata_v1_GetNodeStatusRequest__Output>
      GetNodeStatusResponse: MessageTypeDefinition<_strata_v1_GetNodeStatusResponse, _strata_v1_GetNodeStatusResponse__Output>
      NodeStatus: MessageTypeDefinition<_strata_v1_NodeStatus, _strata_v1_NodeStatus__Output>
      NodeStatusService: SubtypeConstructor<typeof grpc.Client, _strata_v1_NodeStatusServiceClient> & { service: _strata_v1_NodeStatusServiceDefinition }
      ParentRef: MessageTypeDefinition<_strata_v1_ParentRef, _strata_v1_ParentRef__Output>
      ServiceEndpoint: MessageTypeDefinition<_strata_v1_ServiceEndpoint, _strata_v1_ServiceEndpoint__Output>
      TimeSource: MessageTypeDefinition<_strata_v1_TimeSource, _strata_v1_TimeSource__Output>
      TimeStatus: MessageTypeDefinition<_strata_v1_TimeStatus, _strata_v1_TimeStatus__Output>
      Versions: MessageTypeDefinition<_strata_v1_Versions, _strata_v1_Versions__Output>
    }
  }
}

