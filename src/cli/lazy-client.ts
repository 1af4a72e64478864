// The API client of the record, service and directory commands, loaded when
// one of them runs: client.ts brings the endpoints file, the CLI config
// (yaml) and `strata up`'s files (zod), and main.ts registers these commands
// in every `strata` process, `strata node` included (issue 13: ~5 MB of a
// running site's heap).

import type { ApiClient, NodeStatusView } from '../federation/client';
import type { TargetTlsOptions } from './client';

type Unary = ApiClient['unary'];

export function lazyApiClient(options: TargetTlsOptions, timeoutMs?: number): { unary: Unary } {
  return {
    unary: async <Res>(...args: Parameters<Unary>): Promise<Res> => (await import('./client')).apiClient(options, timeoutMs).unary<Res>(...args),
  };
}

export async function lazyNodeStatus(options: TargetTlsOptions): Promise<NodeStatusView> {
  return (await import('./client')).nodeStatus(options);
}
