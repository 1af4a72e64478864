// Original file: proto/strata/v1/link.proto

import type { Cursor as _strata_v1_Cursor, Cursor__Output as _strata_v1_Cursor__Output } from '../../strata/v1/Cursor';

export interface Hello {
  'node'?: (string);
  'tier'?: (string);
  'cursors'?: (_strata_v1_Cursor)[];
  'subtree'?: (string)[];
  'ancestors'?: (string)[];
  'federationDomain'?: (string);
  'baseDn'?: (string);
  'protocolVersion'?: (number);
  'upstreamConnected'?: (boolean);
  'zone'?: (string);
  'dnsAddress'?: (string);
  'ntpAddress'?: (string);
  'ldapAddress'?: (string);
}

export interface Hello__Output {
  'node': (string);
  'tier': (string);
  'cursors': (_strata_v1_Cursor__Output)[];
  'subtree': (string)[];
  'ancestors': (string)[];
  'federationDomain': (string);
  'baseDn': (string);
  'protocolVersion': (number);
  'upstreamConnected': (boolean);
  'zone': (string);
  'dnsAddress': (string);
  'ntpAddress': (string);
  'ldapAddress': (string);
}
