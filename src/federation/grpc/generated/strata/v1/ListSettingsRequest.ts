// Original file: proto/strata/v1/settings.proto


export interface ListSettingsRequest {
  'prefix'?: (string);
}

export interface ListSettingsRequest__Output {
  'prefix': (string);
}
