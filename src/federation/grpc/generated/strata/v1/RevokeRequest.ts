// Original file: proto/strata/v1/enrolment.proto


export interface RevokeRequest {
  'name'?: (string);
  'reason'?: (string);
}

export interface RevokeRequest__Output {
  'name': (string);
  'reason': (string);
}
