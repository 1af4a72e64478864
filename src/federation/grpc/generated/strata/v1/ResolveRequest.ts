// Original file: proto/strata/v1/naming.proto


export interface ResolveRequest {
  'name'?: (string);
  'type'?: (string);
}

export interface ResolveRequest__Output {
  'name': (string);
  'type': (string);
}
