// Original file: proto/strata/v1/naming.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { InstanceChange as _strata_v1_InstanceChange, InstanceChange__Output as _strata_v1_InstanceChange__Output } from '../../strata/v1/InstanceChange';
import type { InstanceRef as _strata_v1_InstanceRef, InstanceRef__Output as _strata_v1_InstanceRef__Output } from '../../strata/v1/InstanceRef';
import type { ListInstancesRequest as _strata_v1_ListInstancesRequest, ListInstancesRequest__Output as _strata_v1_ListInstancesRequest__Output } from '../../strata/v1/ListInstancesRequest';
import type { ListInstancesResponse as _strata_v1_ListInstancesResponse, ListInstancesResponse__Output as _strata_v1_ListInstancesResponse__Output } from '../../strata/v1/ListInstancesResponse';
import type { RegisterInstanceRequest as _strata_v1_RegisterInstanceRequest, RegisterInstanceRequest__Output as _strata_v1_RegisterInstanceRequest__Output } from '../../strata/v1/RegisterInstanceRequest';
import type { SetMaintenanceRequest as _strata_v1_SetMaintenanceRequest, SetMaintenanceRequest__Output as _strata_v1_SetMaintenanceRequest__Output } from '../../strata/v1/SetMaintenanceRequest';

export interface ServiceRegistryClient extends grpc.Client {
  DeregisterInstance(argument: _strata_v1_InstanceRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  DeregisterInstance(argument: _strata_v1_InstanceRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  DeregisterInstance(argument: _strata_v1_InstanceRef, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  DeregisterInstance(argument: _strata_v1_InstanceRef, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  deregisterInstance(argument: _strata_v1_InstanceRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  deregisterInstance(argument: _strata_v1_InstanceRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  deregisterInstance(argument: _strata_v1_InstanceRef, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  deregisterInstance(argument: _strata_v1_InstanceRef, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  
  ListInstances(argument: _strata_v1_ListInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListInstances(argument: _strata_v1_ListInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListInstances(argument: _strata_v1_ListInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListInstances(argument: _strata_v1_ListInstancesRequest, callback: grpc.requestCallback<_strata_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  listInstances(argument: _strata_v1_ListInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  listInstances(argument: _strata_v1_ListInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  listInstances(argument: _strata_v1_ListInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  listInstances(argument: _strata_v1_ListInstancesRequest, callback: grpc.requestCallback<_strata_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  
  PassCheck(argument: _strata_v1_InstanceRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  PassCheck(argument: _strata_v1_InstanceRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  PassCheck(argument: _strata_v1_InstanceRef, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  PassCheck(argument: _strata_v1_InstanceRef, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  passCheck(argument: _strata_v1_InstanceRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  passCheck(argument: _strata_v1_InstanceRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  passCheck(argument: _strata_v1_InstanceRef, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  passCheck(argument: _strata_v1_InstanceRef, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  
  RegisterInstance(argument: _strata_v1_RegisterInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  RegisterInstance(argument: _strata_v1_RegisterInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  RegisterInstance(argument: _strata_v1_RegisterInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  RegisterInstance(argument: _strata_v1_RegisterInstanceRequest, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  registerInstance(argument: _strata_v1_RegisterInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  registerInstance(argument: _strata_v1_RegisterInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  registerInstance(argument: _strata_v1_RegisterInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  registerInstance(argument: _strata_v1_RegisterInstanceRequest, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  
  SetMaintenance(argument: _strata_v1_SetMaintenanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  SetMaintenance(argument: _strata_v1_SetMaintenanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  SetMaintenance(argument: _strata_v1_SetMaintenanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  SetMaintenance(argument: _strata_v1_SetMaintenanceRequest, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  setMaintenance(argument: _strata_v1_SetMaintenanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  setMaintenance(argument: _strata_v1_SetMaintenanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  setMaintenance(argument: _strata_v1_SetMaintenanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  setMaintenance(argument: _strata_v1_SetMaintenanceRequest, callback: grpc.requestCallback<_strata_v1_InstanceChange__Output>): grpc.ClientUnaryCall;
  
}

export interface ServiceRegistryHandlers extends grpc.UntypedServiceImplementation {
  DeregisterInstance: grpc.handleUnaryCall<_strata_v1_InstanceRef__Output, _strata_v1_InstanceChange>;
  
  ListInstances: grpc.handleUnaryCall<_strata_v1_ListInstancesRequest__Output, _strata_v1_ListInstancesResponse>;
  
  PassCheck: grpc.handleUnaryCall<_strata_v1_InstanceRef__Output, _strata_v1_InstanceChange>;
  
  RegisterInstance: grpc.handleUnaryCall<_strata_v1_RegisterInstanceRequest__Output, _strata_v1_InstanceChange>;
  
  SetMaintenance: grpc.handleUnaryCall<_strata_v1_SetMaintenanceRequest__Output, _strata_v1_InstanceChange>;
  
}

export interface ServiceRegistryDefinition extends grpc.ServiceDefinition {
  DeregisterInstance: MethodDefinition<_strata_v1_InstanceRef, _strata_v1_InstanceChange, _strata_v1_InstanceRef__Output, _strata_v1_InstanceChange__Output>
  ListInstances: MethodDefinition<_strata_v1_ListInstancesRequest, _strata_v1_ListInstancesResponse, _strata_v1_ListInstancesRequest__Output, _strata_v1_ListInstancesResponse__Output>
  PassCheck: MethodDefinition<_strata_v1_InstanceRef, _strata_v1_InstanceChange, _strata_v1_InstanceRef__Output, _strata_v1_InstanceChange__Output>
  RegisterInstance: MethodDefinition<_strata_v1_RegisterInstanceRequest, _strata_v1_InstanceChange, _strata_v1_RegisterInstanceRequest__Output, _strata_v1_InstanceChange__Output>
  SetMaintenance: MethodDefinition<_strata_v1_SetMaintenanceRequest, _strata_v1_InstanceChange, _strata_v1_SetMaintenanceRequest__Output, _strata_v1_InstanceChange__Output>
}
