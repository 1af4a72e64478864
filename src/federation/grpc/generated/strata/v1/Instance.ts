// Original file: proto/strata/v1/naming.proto


export interface Instance {
  'service'?: (string);
  'node'?: (string);
  'id'?: (string);
  'address'?: (string);
  'port'?: (number);
  'check'?: (string);
  'healthy'?: (boolean);
  'maintenance'?: (boolean);
  'lastError'?: (string);
}

export interface Instance__Output {
  'service': (string);
  'node': (string);
  'id': (string);
  'address': (string);
  'port': (number);
  'check': (string);
  'healthy': (boolean);
  'maintenance': (boolean);
  'lastError': (string);
}
