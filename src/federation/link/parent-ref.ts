// A parent as federation sees it: its name and gRPC address. (The node
// config's ParentConfig has the same shape; federation does not import node.)

import type { HostPort } from '../../kernel/host-port';

export interface ParentRef {
  readonly name: string;
  readonly address: HostPort;
}
