// Original file: proto/strata/v1/status.proto

import type { ParentRef as _strata_v1_ParentRef, ParentRef__Output as _strata_v1_ParentRef__Output } from '../../strata/v1/ParentRef';
import type { Versions as _strata_v1_Versions, Versions__Output as _strata_v1_Versions__Output } from '../../strata/v1/Versions';
import type { ServiceEndpoint as _strata_v1_ServiceEndpoint, ServiceEndpoint__Output as _strata_v1_ServiceEndpoint__Output } from '../../strata/v1/ServiceEndpoint';
import type { DatasetStatus as _strata_v1_DatasetStatus, DatasetStatus__Output as _strata_v1_DatasetStatus__Output } from '../../strata/v1/DatasetStatus';
import type { TimeStatus as _strata_v1_TimeStatus, TimeStatus__Output as _strata_v1_TimeStatus__Output } from '../../strata/v1/TimeStatus';
import type { Long } from '@grpc/proto-loader';

export interface NodeStatus {
  'name'?: (string);
  'tier'?: (string);
  'parents'?: (_strata_v1_ParentRef)[];
  'uptimeMs'?: (number | string | Long);
  'startedAtMs'?: (number | string | Long);
  'pid'?: (number);
  'versions'?: (_strata_v1_Versions | null);
  'services'?: (_strata_v1_ServiceEndpoint)[];
  'datasets'?: (_strata_v1_DatasetStatus)[];
  'federationDomain'?: (string);
  'baseDn'?: (string);
  'currentParent'?: (string);
  'upstreamConnected'?: (boolean);
  'time'?: (_strata_v1_TimeStatus | null);
}

export interface NodeStatus__Output {
  'name': (string);
  'tier': (string);
  'parents': (_strata_v1_ParentRef__Output)[];
  'uptimeMs': (number);
  'startedAtMs': (number);
  'pid': (number);
  'versions': (_strata_v1_Versions__Output | null);
  'services': (_strata_v1_ServiceEndpoint__Output)[];
  'datasets': (_strata_v1_DatasetStatus__Output)[];
  'federationDomain': (string);
  'baseDn': (string);
  'currentParent': (string);
  'upstreamConnected': (boolean);
  'time': (_strata_v1_TimeStatus__Output | null);
}
