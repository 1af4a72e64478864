// Original file: proto/strata/v1/link.proto


export interface SnapshotEnd {
  'dataset'?: (string);
}

export interface SnapshotEnd__Output {
  'dataset': (string);
}
