// Original file: proto/strata/v1/settings.proto


export interface Setting {
  'key'?: (string);
  'value'?: (string);
}

export interface Setting__Output {
  'key': (string);
  'value': (string);
}
