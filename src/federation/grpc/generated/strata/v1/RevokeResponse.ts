// Original file: proto/strata/v1/enrolment.proto


export interface RevokeResponse {
  'serials'?: (string)[];
}

export interface RevokeResponse__Output {
  'serials': (string)[];
}
