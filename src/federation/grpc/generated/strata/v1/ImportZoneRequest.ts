// Original file: proto/strata/v1/naming.proto


export interface ImportZoneRequest {
  'zone'?: (string);
  'text'?: (string);
  'source'?: (string);
}

export interface ImportZoneRequest__Output {
  'zone': (string);
  'text': (string);
  'source': (string);
}
