// Original file: proto/strata/v1/enrolment.proto


export interface RenewRequest {
  'csrPem'?: (string);
  'currentCertPem'?: (string);
  'signature'?: (Buffer | Uint8Array | string);
  'hops'?: (number);
}

export interface RenewRequest__Output {
  'csrPem': (string);
  'currentCertPem': (string);
  'signature': (Buffer);
  'hops': (number);
}
