// Original file: proto/strata/v1/naming.proto


export interface RegisterInstanceRequest {
  'node'?: (string);
  'service'?: (string);
  'address'?: (string);
  'port'?: (number);
  'check'?: (string);
  'httpPath'?: (string);
  'intervalMs'?: (number);
  'timeoutMs'?: (number);
  'ttlMs'?: (number);
}

export interface RegisterInstanceRequest__Output {
  'node': (string);
  'service': (string);
  'address': (string);
  'port': (number);
  'check': (string);
  'httpPath': (string);
  'intervalMs': (number);
  'timeoutMs': (number);
  'ttlMs': (number);
}
