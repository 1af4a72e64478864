// Original file: proto/strata/v1/link.proto

import type { Long } from '@grpc/proto-loader';

export interface Heartbeat {
  'sentMs'?: (number | string | Long);
  'upstreamConnected'?: (boolean);
  'zone'?: (string);
  'dnsAddress'?: (string);
  'federationDomain'?: (string);
  'baseDn'?: (string);
  'ntpAddress'?: (string);
  'ldapAddress'?: (string);
}

export interface Heartbeat__Output {
  'sentMs': (number);
  'upstreamConnected': (boolean);
  'zone': (string);
  'dnsAddress': (string);
  'federationDomain': (string);
  'baseDn': (string);
  'ntpAddress': (string);
  'ldapAddress': (string);
}
