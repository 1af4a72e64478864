// Original file: proto/strata/v1/status.proto


export interface Versions {
  'strata'?: (string);
  'node'?: (string);
  'protocol'?: (string);
}

export interface Versions__Output {
  'strata': (string);
  'node': (string);
  'protocol': (string);
}
