// Original file: proto/strata/v1/status.proto


export interface ServiceEndpoint {
  'name'?: (string);
  'address'?: (string);
}

export interface ServiceEndpoint__Output {
  'name': (string);
  'address': (string);
}
