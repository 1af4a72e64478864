// Original file: proto/strata/v1/naming.proto


export interface Record {
  'name'?: (string);
  'type'?: (string);
  'ttl'?: (number);
  'data'?: (string);
}

export interface Record__Output {
  'name': (string);
  'type': (string);
  'ttl': (number);
  'data': (string);
}
