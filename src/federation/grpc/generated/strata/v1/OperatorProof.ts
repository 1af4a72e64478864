// Original file: proto/strata/v1/link.proto

import type { Long } from '@grpc/proto-loader';

export interface OperatorProof {
  'certPem'?: (string);
  'method'?: (string);
  'request'?: (Buffer | Uint8Array | string);
  'timeMs'?: (number | string | Long);
  'nonce'?: (string);
  'signature'?: (Buffer | Uint8Array | string);
}

export interface OperatorProof__Output {
  'certPem': (string);
  'method': (string);
  'request': (Buffer);
  'timeMs': (number);
  'nonce': (string);
  'signature': (Buffer);
}
