// Original file: proto/strata/v1/enrolment.proto


export interface JoinResponse {
  'certPem'?: (string);
  'caPem'?: (string);
}

export interface JoinResponse__Output {
  'certPem': (string);
  'caPem': (string);
}
