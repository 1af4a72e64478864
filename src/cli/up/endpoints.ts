// <data-dir>/endpoints.json: written by `strata up` once every node is ready,
// read by every CLI command that takes --node NAME. A contract other tools
// rely on (DESIGN §1); keep its shape stable.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, NotFoundError } from '../../kernel/errors';
import { cliConfigPath, cliNode, loadCliConfig } from '../cli-config';

export interface EndpointNode {
  name: string;
  tier: string;
  parents: string[];
  pid: number;
  /** service name → host:port, for every listener the node is serving. */
  services: Record<string, string>;
}

export interface Endpoints {
  federation: { domain: string; baseDn: string };
  startedAt: string;
  nodes: EndpointNode[];
}

export const ENDPOINTS_FILE = 'endpoints.json';

export function writeEndpoints(dataDir: string, endpoints: Endpoints): void {
  const file = path.join(dataDir, ENDPOINTS_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(endpoints, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function readEndpoints(dataDir: string): Endpoints {
  const file = path.join(dataDir, ENDPOINTS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new NotFoundError(`no ${file}: is 'strata up' running with --data-dir ${dataDir}? Or give --addr HOST:PORT, or name the nodes in ${cliConfigPath()}`);
  }
  try {
    return JSON.parse(text) as Endpoints;
  } catch (err) {
    throw new InvalidArgumentError(`${file} is not valid JSON; restart 'strata up'`, { cause: err });
  }
}

/** host:port of a node's service, from --addr or --node NAME (default: the first node, the core). */
export function resolveTarget(options: { node?: string; addr?: string; dataDir: string }, service = 'grpc'): string {
  if (options.addr) return options.addr;
  // Away from `strata up` (no endpoints file), the CLI config names the nodes.
  if (!existsSync(path.join(options.dataDir, ENDPOINTS_FILE))) {
    const config = loadCliConfig();
    const chosen = cliNode(config, options.node);
    if (chosen && service === 'grpc') return chosen.node.address;
    if (config && options.node && !chosen) throw new NotFoundError(`no node named ${options.node} in ${config.file}; known: ${Object.keys(config.nodes).join(', ') || 'none'}`);
  }
  const endpoints = readEndpoints(options.dataDir);
  const node = options.node ? endpoints.nodes.find((n) => n.name === options.node) : endpoints.nodes[0];
  if (!node) {
    throw new NotFoundError(`no node named ${options.node} in ${path.join(options.dataDir, ENDPOINTS_FILE)}; known: ${endpoints.nodes.map((n) => n.name).join(', ')}`);
  }
  const address = node.services[service];
  if (!address) throw new NotFoundError(`node ${node.name} has no ${service} listener in ${ENDPOINTS_FILE}`);
  return address;
}
