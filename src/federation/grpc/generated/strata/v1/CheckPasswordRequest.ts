// Original file: proto/strata/v1/directory.proto


export interface CheckPasswordRequest {
  'dn'?: (string);
  'password'?: (string);
  'hops'?: (number);
  'origin'?: (string);
}

export interface CheckPasswordRequest__Output {
  'dn': (string);
  'password': (string);
  'hops': (number);
  'origin': (string);
}
