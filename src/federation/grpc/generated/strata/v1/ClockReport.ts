// Original file: proto/strata/v1/link.proto


export interface ClockReport {
  'synchronized'?: (boolean);
  'stratum'?: (number);
  'offsetS'?: (number | string);
  'rootDispersionS'?: (number | string);
}

export interface ClockReport__Output {
  'synchronized': (boolean);
  'stratum': (number);
  'offsetS': (number);
  'rootDispersionS': (number);
}
