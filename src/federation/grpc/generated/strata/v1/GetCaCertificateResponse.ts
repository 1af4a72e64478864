// Original file: proto/strata/v1/enrolment.proto


export interface GetCaCertificateResponse {
  'caPem'?: (string);
}

export interface GetCaCertificateResponse__Output {
  'caPem': (string);
}
