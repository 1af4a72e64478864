// Original file: proto/strata/v1/status.proto


export interface TimeSource {
  'name'?: (string);
  'address'?: (string);
  'state'?: (string);
  'stratum'?: (number);
  'offsetS'?: (number | string);
  'distanceS'?: (number | string);
}

export interface TimeSource__Output {
  'name': (string);
  'address': (string);
  'state': (string);
  'stratum': (number);
  'offsetS': (number);
  'distanceS': (number);
}
