// Original file: proto/strata/v1/link.proto


export interface Resync {
  'dataset'?: (string);
  'reason'?: (string);
}

export interface Resync__Output {
  'dataset': (string);
  'reason': (string);
}
