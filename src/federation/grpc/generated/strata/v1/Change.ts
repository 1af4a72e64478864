// Original file: proto/strata/v1/link.proto

import type { Long } from '@grpc/proto-loader';

export interface Change {
  'seq'?: (number | string | Long);
  'op'?: (string);
  'key'?: (string);
  'value'?: (Buffer | Uint8Array | string);
  'timeMs'?: (number | string | Long);
}

export interface Change__Output {
  'seq': (number);
  'op': (string);
  'key': (string);
  'value': (Buffer);
  'timeMs': (number);
}
