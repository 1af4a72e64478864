// Original file: proto/strata/v1/link.proto


export interface Entry {
  'key'?: (string);
  'value'?: (Buffer | Uint8Array | string);
}

export interface Entry__Output {
  'key': (string);
  'value': (Buffer);
}
