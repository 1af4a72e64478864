// Original file: proto/strata/v1/naming.proto


export interface RecordRequest {
  'zone'?: (string);
  'name'?: (string);
  'type'?: (string);
  'data'?: (string);
  'ttl'?: (number);
  'hasTtl'?: (boolean);
}

export interface RecordRequest__Output {
  'zone': (string);
  'name': (string);
  'type': (string);
  'data': (string);
  'ttl': (number);
  'hasTtl': (boolean);
}
