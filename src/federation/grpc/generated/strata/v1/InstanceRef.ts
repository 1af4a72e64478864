// Original file: proto/strata/v1/naming.proto


export interface InstanceRef {
  'node'?: (string);
  'service'?: (string);
  'instance'?: (string);
}

export interface InstanceRef__Output {
  'node': (string);
  'service': (string);
  'instance': (string);
}
