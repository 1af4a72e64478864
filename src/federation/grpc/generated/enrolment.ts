import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { EnrolmentServiceClient as _strata_v1_EnrolmentServiceClient, EnrolmentServiceDefinition as _strata_v1_EnrolmentServiceDefinition } from './strata/v1/EnrolmentService';
import type { GetCaCertificateRequest as _strata_v1_GetCaCertificateRequest, GetCaCertificateRequest__Output as _strata_v1_GetCaCertificateRequest__Output } from './strata/v1/GetCaCertificateRequest';
import type { GetCaCertificateResponse as _strata_v1_GetCaCertificateResponse, GetCaCertificateResponse__Output as _strata_v1_GetCaCertificateResponse__Output } from './strata/v1/GetCaCertificateResponse';
import type { JoinRequest as _strata_v1_JoinRequest, JoinRequest__Output as _strata_v1_JoinRequest__Output } from './strata/v1/JoinRequest';
import type { JoinResponse as _strata_v1_JoinResponse, JoinResponse__Output as _strata_v1_JoinResponse__Output } from './strata/v1/JoinResponse';
import type { RenewRequest as _strata_v1_RenewRequest, RenewRequest__Output as _strata_v1_RenewRequest__Output } from './strata/v1/RenewRequest';
import type { RevokeRequest as _strata_v1_RevokeRequest, RevokeRequest__Output as _strata_v1_RevokeRequest__Output } from './strata/v1/RevokeRequest';
import type { RevokeResponse as _strata_v1_RevokeResponse, RevokeResponse__Output as _strata_v1_RevokeResponse__Output } from './strata/v1/RevokeResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  strata: {
    v1: {
      EnrolmentService: SubtypeConstructor<typeof grpc.Client, _strata_v1_EnrolmentServiceClient> & { service: _strata_v1_EnrolmentServiceDefinition }
      GetCaCertificateRequest: MessageTypeDefinition<_strata_v1_GetCaCertificateRequest, _strata_v1_GetCaCertificateRequest__Output>
      GetCaCertificateResponse: MessageTypeDefinition<_strata_v1_GetCaCertificateResponse, _strata_v1_GetCaCertificateResponse__Output>
      JoinRequest: MessageTypeDefinition<_strata_v1_JoinRequest, _strata_v1_JoinRequest__Output>
      JoinResponse: MessageTypeDefinition<_strata_v1_JoinResponse, _strata_v1_JoinResponse__Output>
      RenewRequest: MessageTypeDefinition<_strata_v1_RenewRequest, _strata_v1_RenewRequest__Output>
      RevokeRequest: MessageTypeDefinition<_strata_v1_RevokeRequest, _strata_v1_RevokeRequest__Output>
      RevokeResponse: MessageTypeDefinition<_strata_v1_RevokeResponse, _strata_v1_RevokeResponse__Output>
    }
  }
}

