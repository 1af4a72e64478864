// Original file: proto/strata/v1/naming.proto


export interface ListRecordsRequest {
  'zone'?: (string);
}

export interface ListRecordsRequest__Output {
  'zone': (string);
}
