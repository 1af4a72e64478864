// Original file: proto/strata/v1/directory.proto


export interface ListEntriesRequest {
  'base'?: (string);
  'includeSecrets'?: (boolean);
}

export interface ListEntriesRequest__Output {
  'base': (string);
  'includeSecrets': (boolean);
}
