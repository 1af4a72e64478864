// Original file: proto/strata/v1/dataset.proto


export interface WatchDatasetRequest {
  'dataset'?: (string);
}

export interface WatchDatasetRequest__Output {
  'dataset': (string);
}
