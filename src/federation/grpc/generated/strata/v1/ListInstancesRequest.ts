// Original file: proto/strata/v1/naming.proto


export interface ListInstancesRequest {
  'service'?: (string);
}

export interface ListInstancesRequest__Output {
  'service': (string);
}
