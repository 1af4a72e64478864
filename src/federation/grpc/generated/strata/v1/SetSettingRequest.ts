// Original file: proto/strata/v1/settings.proto


export interface SetSettingRequest {
  'key'?: (string);
  'value'?: (string);
}

export interface SetSettingRequest__Output {
  'key': (string);
  'value': (string);
}
