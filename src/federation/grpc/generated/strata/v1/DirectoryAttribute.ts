// Original file: proto/strata/v1/directory.proto


export interface DirectoryAttribute {
  'name'?: (string);
  'values'?: (string)[];
}

export interface DirectoryAttribute__Output {
  'name': (string);
  'values': (string)[];
}
