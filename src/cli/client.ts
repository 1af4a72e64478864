// How a CLI command reaches a node: the address (--addr, or --node NAME from
// `strata up`'s endpoints file) and the client identity, built from the
// command's own options each time — the CA (--ca, $STRATA_CA, else
// <data-dir>/ca.crt), the operator certificate and key (--cert/--key,
// $STRATA_CERT/$STRATA_KEY, else <data-dir>/operator.*) — and checked against
// the --node's certificate. Plaintext when no CA is known.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { SystemClock } from '../kernel/clock';
import { ApiClient, ClientTls, fetchNodeStatus, type NodeStatusView } from '../federation/client';
import { resolveTarget } from './up/endpoints';
import { readInputFile } from './input-file';
import { cliNode, loadCliConfig } from './cli-config';
import { CA_FILE } from './up/up-tls';

export interface TlsOptions {
  addr?: string;
  ca?: string;
  cert?: string;
  key?: string;
  dataDir?: string;
  node?: string;
}

/**
 * gRPC over TLS checked against the federation CA when one is known (and,
 * with --node, that node's certificate), presenting the operator's
 * certificate when there is one. Each file from: the flag, else the
 * environment, else the CLI config's entry for the node, else `strata up`'s
 * data dir, else the CLI config's defaults (cli-config.ts).
 */
export function cliTls(opts: TlsOptions): ClientTls {
  const env = process.env;
  const config = loadCliConfig();
  const node = opts.addr === undefined ? cliNode(config, opts.node)?.node : undefined;
  const inDataDir = (name: string): string | undefined => {
    const file = opts.dataDir && path.join(opts.dataDir, name);
    return file && existsSync(file) ? file : undefined;
  };
  const caFile = opts.ca ?? (env['STRATA_CA'] || undefined) ?? node?.ca ?? inDataDir(CA_FILE) ?? config?.ca;
  if (!caFile) return ClientTls.PLAINTEXT;
  const certFile = opts.cert ?? (env['STRATA_CERT'] || undefined) ?? node?.cert ?? inDataDir('operator.crt') ?? config?.cert;
  const keyFile = opts.key ?? (env['STRATA_KEY'] || undefined) ?? node?.key ?? inDataDir('operator.key') ?? config?.key;
  const operator = certFile && keyFile ? { certPem: readInputFile(certFile, 'operator certificate'), keyPem: readInputFile(keyFile, 'operator key') } : {};
  return new ClientTls({ caPem: readInputFile(caFile, 'CA certificate'), ...operator, expectNode: opts.node });
}

export type TargetTlsOptions = TlsOptions & { addr?: string; dataDir: string };

/** An API client for the node the options name. */
export function apiClient(options: TargetTlsOptions, timeoutMs?: number): ApiClient {
  return new ApiClient(resolveTarget(options), new SystemClock(), cliTls(options), timeoutMs);
}

/** The status of the node the options name. */
export function nodeStatus(options: TargetTlsOptions): Promise<NodeStatusView> {
  return fetchNodeStatus(resolveTarget(options), new SystemClock(), cliTls(options));
}
