// Original file: proto/strata/v1/link.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { LinkMessage as _strata_v1_LinkMessage, LinkMessage__Output as _strata_v1_LinkMessage__Output } from '../../strata/v1/LinkMessage';

export interface LinkServiceClient extends grpc.Client {
  Link(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_strata_v1_LinkMessage, _strata_v1_LinkMessage__Output>;
  Link(options?: grpc.CallOptions): grpc.ClientDuplexStream<_strata_v1_LinkMessage, _strata_v1_LinkMessage__Output>;
  link(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_strata_v1_LinkMessage, _strata_v1_LinkMessage__Output>;
  link(options?: grpc.CallOptions): grpc.ClientDuplexStream<_strata_v1_LinkMessage, _strata_v1_LinkMessage__Output>;
  
}

export interface LinkServiceHandlers extends grpc.UntypedServiceImplementation {
  Link: grpc.handleBidiStreamingCall<_strata_v1_LinkMessage__Output, _strata_v1_LinkMessage>;
  
}

export interface LinkServiceDefinition extends grpc.ServiceDefinition {
  Link: MethodDefinition<_strata_v1_LinkMessage, _strata_v1_LinkMessage, _strata_v1_LinkMessage__Output, _strata_v1_LinkMessage__Output>
}
