// Original file: proto/strata/v1/directory.proto


export interface DeleteEntryRequest {
  'dn'?: (string);
}

export interface DeleteEntryRequest__Output {
  'dn': (string);
}
