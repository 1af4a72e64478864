// Original file: proto/strata/v1/directory.proto


export interface GetEntryRequest {
  'dn'?: (string);
  'hops'?: (number);
}

export interface GetEntryRequest__Output {
  'dn': (string);
  'hops': (number);
}
