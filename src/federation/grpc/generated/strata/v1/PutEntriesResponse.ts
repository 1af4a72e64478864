// Original file: proto/strata/v1/directory.proto


export interface PutEntriesResponse {
  'added'?: (number);
  'replaced'?: (number);
  'deleted'?: (number);
}

export interface PutEntriesResponse__Output {
  'added': (number);
  'replaced': (number);
  'deleted': (number);
}
