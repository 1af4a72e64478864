// Original file: proto/strata/v1/settings.proto


export interface DeleteSettingRequest {
  'key'?: (string);
}

export interface DeleteSettingRequest__Output {
  'key': (string);
}
