// Original file: proto/strata/v1/link.proto

import type { Long } from '@grpc/proto-loader';

export interface BindTicket {
  'dn'?: (string);
  'bearer'?: (string);
  'expiresMs'?: (number | string | Long);
  'signerCertPem'?: (string);
  'signature'?: (Buffer | Uint8Array | string);
}

export interface BindTicket__Output {
  'dn': (string);
  'bearer': (string);
  'expiresMs': (number);
  'signerCertPem': (string);
  'signature': (Buffer);
}
