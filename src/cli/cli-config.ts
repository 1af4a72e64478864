// The CLI's own config, for commands run away from `strata up` (a real
// deployment): named nodes with their gRPC addresses, and the CA and
// operator certificate to reach them with — so `--node berlin` works from
// an operator's laptop as it does next to `strata up`. Read from
// $STRATA_CONFIG, else $XDG_CONFIG_HOME/strata/cli.yaml (~/.config/...).
//
//   ca: /etc/strata/ca.crt            # paths relative to this file; ~ is the home dir
//   cert: operator.crt
//   key: operator.key
//   default: core                     # the node used without --node
//   nodes:
//     core:   { address: 10.0.0.10:15300 }
//     berlin: { address: 10.1.0.20:15300, ca: berlin-ca.crt }   # per-node overrides of ca/cert/key

import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseYaml } from '../kernel/yaml-file';
import { ConfigError } from '../kernel/errors';
import { parseHostPort } from '../kernel/host-port';

export interface CliNode {
  address: string;
  ca?: string;
  cert?: string;
  key?: string;
}

export interface CliConfig {
  file: string;
  ca?: string;
  cert?: string;
  key?: string;
  default?: string;
  nodes: Record<string, CliNode>;
}

/** Where the CLI config is looked for. */
export function cliConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env['STRATA_CONFIG']) return env['STRATA_CONFIG'];
  const base = env['XDG_CONFIG_HOME'] || path.join(os.homedir(), '.config');
  return path.join(base, 'strata', 'cli.yaml');
}

/** The CLI config, or undefined when there is none (a file named by $STRATA_CONFIG must exist). */
export function loadCliConfig(env: NodeJS.ProcessEnv = process.env): CliConfig | undefined {
  const file = cliConfigPath(env);
  if (!existsSync(file)) {
    if (env['STRATA_CONFIG']) throw new ConfigError('', `$STRATA_CONFIG names ${file}, which does not exist; fix the path or unset it`);
    return undefined;
  }
  const raw = parseYaml(readFileSync(file, 'utf8'), file);
  const dir = path.dirname(path.resolve(file));
  const resolvePath = (value: unknown, where: string): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') throw new ConfigError(`${file}: ${where}`, 'expected a file path');
    const home = value.startsWith('~/') ? path.join(os.homedir(), value.slice(2)) : value;
    return path.resolve(dir, home);
  };
  const top = (raw ?? {}) as Record<string, unknown>;
  if (typeof top !== 'object' || Array.isArray(top)) throw new ConfigError(file, 'expected a mapping with ca, cert, key, default and nodes');
  const unknown = Object.keys(top).filter((k) => !['ca', 'cert', 'key', 'default', 'nodes'].includes(k));
  if (unknown.length > 0) throw new ConfigError(file, `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; expected ca, cert, key, default, nodes`);
  const nodes: Record<string, CliNode> = {};
  for (const [name, value] of Object.entries((top['nodes'] ?? {}) as Record<string, unknown>)) {
    const node = (value ?? {}) as Record<string, unknown>;
    const address = node['address'];
    if (typeof address !== 'string') throw new ConfigError(`${file}: nodes.${name}.address`, 'is required (HOST:PORT of the node\'s gRPC listener)');
    try {
      parseHostPort(address);
    } catch (err) {
      throw new ConfigError(`${file}: nodes.${name}.address`, (err as Error).message);
    }
    nodes[name] = { address, ca: resolvePath(node['ca'], `nodes.${name}.ca`), cert: resolvePath(node['cert'], `nodes.${name}.cert`), key: resolvePath(node['key'], `nodes.${name}.key`) };
  }
  const fallback = top['default'];
  if (fallback !== undefined && (typeof fallback !== 'string' || !nodes[fallback])) throw new ConfigError(`${file}: default`, `names no node in nodes (${Object.keys(nodes).join(', ') || 'none'})`);
  return { file, ca: resolvePath(top['ca'], 'ca'), cert: resolvePath(top['cert'], 'cert'), key: resolvePath(top['key'], 'key'), default: fallback as string | undefined, nodes };
}

/** The node a command means in the CLI config (--node, else the default, else the first), or undefined. */
export function cliNode(config: CliConfig | undefined, name: string | undefined): { name: string; node: CliNode } | undefined {
  if (!config) return undefined;
  const chosen = name ?? config.default ?? Object.keys(config.nodes)[0];
  const node = chosen === undefined ? undefined : config.nodes[chosen];
  return node && { name: chosen!, node };
}
