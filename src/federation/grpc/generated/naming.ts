import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ImportZoneRequest as _strata_v1_ImportZoneRequest, ImportZoneRequest__Output as _strata_v1_ImportZoneRequest__Output } from './strata/v1/ImportZoneRequest';
import type { Instance as _strata_v1_Instance, Instance__Output as _strata_v1_Instance__Output } from './strata/v1/Instance';
import type { InstanceChange as _strata_v1_InstanceChange, InstanceChange__Output as _strata_v1_InstanceChange__Output } from './strata/v1/InstanceChange';
import type { InstanceRef as _strata_v1_InstanceRef, InstanceRef__Output as _strata_v1_InstanceRef__Output } from './strata/v1/InstanceRef';
import type { ListInstancesRequest as _strata_v1_ListInstancesRequest, ListInstancesRequest__Output as _strata_v1_ListInstancesRequest__Output } from './strata/v1/ListInstancesRequest';
import type { ListInstancesResponse as _strata_v1_ListInstancesResponse, ListInstancesResponse__Output as _strata_v1_ListInstancesResponse__Output } from './strata/v1/ListInstancesResponse';
import type { ListRecordsRequest as _strata_v1_ListRecordsRequest, ListRecordsRequest__Output as _strata_v1_ListRecordsRequest__Output } from './strata/v1/ListRecordsRequest';
import type { ListRecordsResponse as _strata_v1_ListRecordsResponse, ListRecordsResponse__Output as _strata_v1_ListRecordsResponse__Output } from './strata/v1/ListRecordsResponse';
import type { Record as _strata_v1_Record, Record__Output as _strata_v1_Record__Output } from './strata/v1/Record';
import type { RecordChange as _strata_v1_RecordChange, RecordChange__Output as _strata_v1_RecordChange__Output } from './strata/v1/RecordChange';
import type { RecordRequest as _strata_v1_RecordRequest, RecordRequest__Output as _strata_v1_RecordRequest__Output } from './strata/v1/RecordRequest';
import type { RecordServiceClient as _strata_v1_RecordServiceClient, RecordServiceDefinition as _strata_v1_RecordServiceDefinition } from './strata/v1/RecordService';
import type { RegisterInstanceRequest as _strata_v1_RegisterInstanceRequest, RegisterInstanceRequest__Output as _strata_v1_RegisterInstanceRequest__Output } from './strata/v1/RegisterInstanceRequest';
import type { ResolveRequest as _strata_v1_ResolveRequest, ResolveRequest__Output as _strata_v1_ResolveRequest__Output } from './strata/v1/ResolveRequest';
import type { ResolveResponse as _strata_v1_ResolveResponse, ResolveResponse__Output as _strata_v1_ResolveResponse__Output } from './strata/v1/ResolveResponse';
import type { ResolverServiceClient as _strata_v1_ResolverServiceClient, ResolverServiceDefinition as _strata_v1_ResolverServiceDefinition } from './strata/v1/ResolverService';
import type { ServiceRegistryClient as _strata_v1_ServiceRegistryClient, ServiceRegistryDefinition as _strata_v1_ServiceRegistryDefinition } from './strata/v1/ServiceRegistry';
import type { SetMaintenanceRequest as _strata_v1_SetMaintenanceRequest, SetMaintenanceRequest__Output as _strata_v1_SetMaintenanceRequest__Output } from './strata/v1/SetMaintenanceRequest';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  strata: {
    v1: {
      ImportZoneRequest: MessageTypeDefinition<_strata_v1_ImportZoneRequest, _strata_v1_ImportZoneRequest__Output>
      Instance: MessageTypeDefinition<_strata_v1_Instance, _strata_v1_Instance__Output>
      InstanceChange: MessageTypeDefinition<_strata_v1_InstanceChange, _strata_v1_InstanceChange__Output>
      InstanceRef: MessageTypeDefinition<_strata_v1_InstanceRef, _strata_v1_InstanceRef__Output>
      ListInstancesRequest: MessageTypeDefinition<_strata_v1_ListInstancesRequest, _strata_v1_ListInstancesRequest__Output>
      ListInstancesResponse: MessageTypeDefinition<_strata_v1_ListInstancesResponse, _strata_v1_ListInstancesResponse__Output>
      ListRecordsRequest: MessageTypeDefinition<_strata_v1_ListRecordsRequest, _strata_v1_ListRecordsRequest__Output>
      ListRecordsResponse: MessageTypeDefinition<_strata_v1_ListRecordsResponse, _strata_v1_ListRecordsResponse__Output>
      Record: MessageTypeDefinition<_strata_v1_Record, _strata_v1_Record__Output>
      RecordChange: MessageTypeDefinition<_strata_v1_RecordChange, _strata_v1_RecordChange__Output>
      RecordRequest: MessageTypeDefinition<_strata_v1_RecordRequest, _strata_v1_RecordRequest__Output>
      RecordService: SubtypeConstructor<typeof grpc.Client, _strata_v1_RecordServiceClient> & { service: _strata_v1_RecordServiceDefinition }
      RegisterInstanceRequest: MessageTypeDefinition<_strata_v1_RegisterInstanceRequest, _strata_v1_RegisterInstanceRequest__Output>
      ResolveRequest: MessageTypeDefinition<_strata_v1_ResolveRequest, _strata_v1_ResolveRequest__Output>
      ResolveResponse: MessageTypeDefinition<_strata_v1_ResolveResponse, _strata_v1_ResolveResponse__Output>
      ResolverService: SubtypeConstructor<typeof grpc.Client, _strata_v1_ResolverServiceClient> & { service: _strata_v1_ResolverServiceDefinition }
      ServiceRegistry: SubtypeConstructor<typeof grpc.Client, _strata_v1_ServiceRegistryClient> & { service: _strata_v1_ServiceRegistryDefinition }
      SetMaintenanceRequest: MessageTypeDefinition<_strata_v1_SetMaintenanceRequest, _strata_v1_SetMaintenanceRequest__Output>
    }
  }
}

