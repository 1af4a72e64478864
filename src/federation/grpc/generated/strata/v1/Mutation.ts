// Original file: proto/strata/v1/link.proto


export interface Mutation {
  'op'?: (string);
  'key'?: (string);
  'value'?: (Buffer | Uint8Array | string);
  'expect'?: (string);
}

export interface Mutation__Output {
  'op': (string);
  'key': (string);
  'value': (Buffer);
  'expect': (string);
}
