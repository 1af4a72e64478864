// Original file: proto/strata/v1/enrolment.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetCaCertificateRequest as _strata_v1_GetCaCertificateRequest, GetCaCertificateRequest__Output as _strata_v1_GetCaCertificateRequest__Output } from '../../strata/v1/GetCaCertificateRequest';
import type { GetCaCertificateResponse as _strata_v1_GetCaCertificateResponse, GetCaCertificateResponse__Output as _strata_v1_GetCaCertificateResponse__Output } from '../../strata/v1/GetCaCertificateResponse';
import type { JoinRequest as _strata_v1_JoinRequest, JoinRequest__Output as _strata_v1_JoinRequest__Output } from '../../strata/v1/JoinRequest';
import type { JoinResponse as _strata_v1_JoinResponse, JoinResponse__Output as _strata_v1_JoinResponse__Output } from '../../strata/v1/JoinResponse';
import type { RenewRequest as _strata_v1_RenewRequest, RenewRequest__Output as _strata_v1_RenewRequest__Output } from '../../strata/v1/RenewRequest';
import type { RevokeRequest as _strata_v1_RevokeRequest, RevokeRequest__Output as _strata_v1_RevokeRequest__Output } from '../../strata/v1/RevokeRequest';
import type { RevokeResponse as _strata_v1_RevokeResponse, RevokeResponse__Output as _strata_v1_RevokeResponse__Output } from '../../strata/v1/RevokeResponse';

export interface EnrolmentServiceClient extends grpc.Client {
  GetCaCertificate(argument: _strata_v1_GetCaCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_GetCaCertificateResponse__Output>): grpc.ClientUnaryCall;
  GetCaCertificate(argument: _strata_v1_GetCaCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_GetCaCertificateResponse__Output>): grpc.ClientUnaryCall;
  GetCaCertificate(argument: _strata_v1_GetCaCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_GetCaCertificateResponse__Output>): grpc.ClientUnaryCall;
  GetCaCertificate(argument: _strata_v1_GetCaCertificateRequest, callback: grpc.requestCallback<_strata_v1_GetCaCertificateResponse__Output>): grpc.ClientUnaryCall;
  getCaCertificate(argument: _strata_v1_GetCaCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_GetCaCertificateResponse__Output>): grpc.ClientUnaryCall;
  getCaCertificate(argument: _strata_v1_GetCaCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_GetCaCertificateResponse__Output>): grpc.ClientUnaryCall;
  getCaCertificate(argument: _strata_v1_GetCaCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_GetCaCertificateResponse__Output>): grpc.ClientUnaryCall;
  getCaCertificate(argument: _strata_v1_GetCaCertificateRequest, callback: grpc.requestCallback<_strata_v1_GetCaCertificateResponse__Output>): grpc.ClientUnaryCall;
  
  Join(argument: _strata_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _strata_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _strata_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _strata_v1_JoinRequest, callback: grpc.requestCallback<_strata_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _strata_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _strata_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _strata_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _strata_v1_JoinRequest, callback: grpc.requestCallback<_strata_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  
  Renew(argument: _strata_v1_RenewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Renew(argument: _strata_v1_RenewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Renew(argument: _strata_v1_RenewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Renew(argument: _strata_v1_RenewRequest, callback: grpc.requestCallback<_strata_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  renew(argument: _strata_v1_RenewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  renew(argument: _strata_v1_RenewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  renew(argument: _strata_v1_RenewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  renew(argument: _strata_v1_RenewRequest, callback: grpc.requestCallback<_strata_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  
  Revoke(argument: _strata_v1_RevokeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  Revoke(argument: _strata_v1_RevokeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  Revoke(argument: _strata_v1_RevokeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  Revoke(argument: _strata_v1_RevokeRequest, callback: grpc.requestCallback<_strata_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  revoke(argument: _strata_v1_RevokeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  revoke(argument: _strata_v1_RevokeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_strata_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  revoke(argument: _strata_v1_RevokeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_strata_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  revoke(argument: _strata_v1_RevokeRequest, callback: grpc.requestCallback<_strata_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface EnrolmentServiceHandlers extends grpc.UntypedServiceImplementation {
  GetCaCertificate: grpc.handleUnaryCall<_strata_v1_GetCaCertificateRequest__Output, _strata_v1_GetCaCertificateResponse>;
  
  Join: grpc.handleUnaryCall<_strata_v1_JoinRequest__Output, _strata_v1_JoinResponse>;
  
  Renew: grpc.handleUnaryCall<_strata_v1_RenewRequest__Output, _strata_v1_JoinResponse>;
  
  Revoke: grpc.handleUnaryCall<_strata_v1_RevokeRequest__Output, _strata_v1_RevokeResponse>;
  
}

export interface EnrolmentServiceDefinition extends grpc.ServiceDefinition {
  GetCaCertificate: MethodDefinition<_strata_v1_GetCaCertificateRequest, _strata_v1_GetCaCertificateResponse, _strata_v1_GetCaCertificateRequest__Output, _strata_v1_GetCaCertificateResponse__Output>
  Join: MethodDefinition<_strata_v1_JoinRequest, _strata_v1_JoinResponse, _strata_v1_JoinRequest__Output, _strata_v1_JoinResponse__Output>
  Renew: MethodDefinition<_strata_v1_RenewRequest, _strata_v1_JoinResponse, _strata_v1_RenewRequest__Output, _strata_v1_JoinResponse__Output>
  Revoke: MethodDefinition<_strata_v1_RevokeRequest, _strata_v1_RevokeResponse, _strata_v1_RevokeRequest__Output, _strata_v1_RevokeResponse__Output>
}
