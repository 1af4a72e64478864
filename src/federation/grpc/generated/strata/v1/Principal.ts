// Original file: proto/strata/v1/link.proto

import type { OperatorProof as _strata_v1_OperatorProof, OperatorProof__Output as _strata_v1_OperatorProof__Output } from '../../strata/v1/OperatorProof';
import type { DirectoryPrincipal as _strata_v1_DirectoryPrincipal, DirectoryPrincipal__Output as _strata_v1_DirectoryPrincipal__Output } from '../../strata/v1/DirectoryPrincipal';

export interface Principal {
  'operator'?: (_strata_v1_OperatorProof | null);
  'directory'?: (_strata_v1_DirectoryPrincipal | null);
  'who'?: "operator"|"directory";
}

export interface Principal__Output {
  'operator'?: (_strata_v1_OperatorProof__Output | null);
  'directory'?: (_strata_v1_DirectoryPrincipal__Output | null);
  'who'?: "operator"|"directory";
}
