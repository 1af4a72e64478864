// Original file: proto/strata/v1/directory.proto


export interface GetEntryResponse {
  'found'?: (boolean);
  'entryJson'?: (string);
  'hasChildren'?: (boolean);
}

export interface GetEntryResponse__Output {
  'found': (boolean);
  'entryJson': (string);
  'hasChildren': (boolean);
}
