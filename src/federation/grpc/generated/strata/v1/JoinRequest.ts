// Original file: proto/strata/v1/enrolment.proto


export interface JoinRequest {
  'token'?: (string);
  'csrPem'?: (string);
  'hops'?: (number);
}

export interface JoinRequest__Output {
  'token': (string);
  'csrPem': (string);
  'hops': (number);
}
