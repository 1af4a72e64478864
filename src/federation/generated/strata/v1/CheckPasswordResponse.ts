// Original file: proto/strata/v1/directory.proto


export interface CheckPasswordResponse {
  'result'?: (string);
}

export interface CheckPasswordResponse__Output {
  'result': (string);
}
