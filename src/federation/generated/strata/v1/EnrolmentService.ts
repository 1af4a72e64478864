// Original file: proto/strata/v1/enrolment.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetCaCertificateRequest as _strata_v1_GetCaCertificateRequest, GetCaCertificateRequest__Output as _strata_v1_GetCaCertificateRequest__Output } from '../../strata/v1/GetCaCertificateRequest';
import type { GetCaCertificateResponse as _strata_v1_GetCaCertificateResponse, GetCaCertificateResponse__Output as _strata_v1_GetCaCertificateResponse__Output } from '../../strata/v1/GetCaCertificateResponse';
import type { JoinRequest as _strata_v1_JoinRequest, JoinRequest__Output as _strata_v1_JoinRequest__Output } from '../../strata/v1/JoinRequest';
import type { JoinResponse as _strata_v1_JoinResponse, JoinResponse__Output as _strata_v1_JoinResponse__Output } from '../../strata/v1/JoinResponse';

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
  
}

export interface EnrolmentServiceHandlers extends grpc.UntypedServiceImplementation {
  GetCaCertificate: grpc.handleUnaryCall<_strata_v1_GetCaCertificateRequest__Output, _strata_v1_GetCaCertificateResponse>;
  
  Join: grpc.handleUnaryCall<_strata_v1_JoinRequest__Output, _strata_v1_JoinResponse>;
  
}

export interface EnrolmentServiceDefinition extends grpc.ServiceDefinition {
  GetCaCertificate: MethodDefinition<_strata_v1_GetCaCertificateRequest, _strata_v1_GetCaCertificateResponse, _strata_v1_GetCaCertificateRequest__Output, _strata_v1_GetCaCertificateResponse__Output>
  Join: MethodDefinition<_strata_v1_JoinRequest, _strata_v1_JoinResponse, _strata_v1_JoinRequest__Output, _strata_v1_JoinResponse__Output>
}
