// Original file: proto/strata/v1/status.proto


export interface ParentRef {
  'name'?: (string);
  'address'?: (string);
}

export interface ParentRef__Output {
  'name': (string);
  'address': (string);
}
