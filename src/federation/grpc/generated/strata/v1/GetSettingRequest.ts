// Original file: proto/strata/v1/settings.proto


export interface GetSettingRequest {
  'key'?: (string);
}

export interface GetSettingRequest__Output {
  'key': (string);
}
