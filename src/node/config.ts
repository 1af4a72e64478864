// Turns a user's YAML file into the frozen, fully defaulted runtime config of
// one node (consul's "user config is not runtime config"). Every problem is a
// ConfigError naming the file, the field path and what was expected; a node
// never starts half-configured. It does not open ports or directories.

import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseYaml } from '../kernel/yaml-file';
import { ConfigError } from '../kernel/errors';
import { deepFreeze } from '../kernel/deep-freeze';
import { formatHostPort, parseHostPort, type HostPort } from '../kernel/host-port';
import type { LogLevel } from '../kernel/log';
import type { LinkSettings } from '../federation/federation';
import type { CoreGroupSettings } from '../core-group/core-group';
import { isUnder, normalizeDn } from '../directory/data/dn';
import { DEFAULT_LISTEN, issueToError, SERVICES, userConfigSchema, type ParsedUserConfig, type ServiceName, type Tier } from './config-schema';

export interface ParentConfig {
  readonly name: string;
  readonly address: HostPort;
}

export interface FederationConfig {
  /** Lowercase, with the trailing dot: "edge.example." */
  readonly domain: string;
  readonly baseDn: string;
}

export interface DnsSettings {
  readonly zone: string | undefined;
  readonly advertise: string | undefined;
  readonly recursionFrom: readonly string[];
  readonly upstreams: readonly HostPort[];
  readonly cache: { readonly maxEntries: number; readonly maxTtlS: number; readonly maxStaleS: number };
  readonly staleTtlS: number;
  readonly clientTimeoutMs: number;
  readonly serverTimeoutMs: number;
  readonly serviceTtlS: number;
  readonly transferTo: readonly string[];
  readonly workers: number;
}

export interface TimeSettings {
  readonly upstreams: readonly HostPort[];
  readonly localStratum: number;
  readonly pollS: number;
  readonly timeoutMs: number;
  readonly maxDistanceMs: number;
  readonly test: { readonly skewMs: number; readonly driftPpm: number };
}

export interface CredentialRuleSettings {
  readonly subtree?: string;
  readonly group?: string;
  readonly lowestTier: Tier;
}

export interface DirectorySettings {
  readonly adminPassword: string | undefined;
  /** Absolute paths; undefined: self-signed in <dataDir>/tls/. */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  readonly credentialPolicy: readonly CredentialRuleSettings[];
  readonly sizeLimit: number;
  readonly timeLimitS: number;
  readonly maxMessageBytes: number;
  /** Attributes indexed besides the defaults. */
  readonly indexes: readonly string[];
  /** LDAP worker processes (0: the node process serves LDAP). */
  readonly workers: number;
}

export interface SecuritySettings {
  readonly mode: 'mtls' | 'plaintext';
  readonly joinToken: string | undefined;
  /** Absolute path; deleted once the node has enrolled. */
  readonly joinTokenFile: string | undefined;
  readonly renewBeforeDays: number;
  /** More names the node's certificates must have (DNS names, IP addresses). */
  readonly certificateNames: readonly string[];
}

export interface NodeConfig {
  readonly name: string;
  readonly tier: Tier;
  readonly parents: readonly ParentConfig[];
  /** Absolute. */
  readonly dataDir: string;
  readonly federation: FederationConfig | undefined;
  readonly listen: Readonly<Record<ServiceName, HostPort>>;
  readonly link: Readonly<LinkSettings>;
  readonly dns: Readonly<DnsSettings>;
  readonly time: Readonly<TimeSettings>;
  readonly directory: DirectorySettings;
  readonly security: SecuritySettings;
  readonly log: { readonly level: LogLevel };
  readonly store: { readonly compaction: { readonly keepChanges: number; readonly keepMs: number; readonly intervalMs: number } };
  /** A member of a highly available core group (core.etcd set); undefined: the single-process core, or not the core. */
  readonly core: CoreGroupSettings | undefined;
}



/** Read and validate a node config file. `baseDir` resolves a relative dataDir (default: the file's folder). */
export function loadConfigFile(file: string): NodeConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('', `cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code ?? err}; check the path`, { cause: err });
  }
  return parseConfigText(text, file);
}

export function parseConfigText(text: string, source: string): NodeConfig {
  return buildConfig(parseYaml(text, source), source, path.dirname(path.resolve(source)));
}

/** What is valid but probably not meant: said at start and by --check. */
export function configWarnings(config: NodeConfig): string[] {
  const warnings: string[] = [];
  if (['0.0.0.0', '::'].includes(config.listen.dns.host) && config.dns.advertise === undefined) {
    warnings.push(`listen.dns is ${formatHostPort(config.listen.dns)} and dns.advertise is not set: the tree will be told 127.0.0.1 as this node's name server (its NS glue); set dns.advertise to the address clients reach it at`);
  }
  return warnings;
}

/** Validate an already-parsed object (e.g. built by `strata up`). Every problem found is reported at once. */
export function buildConfig(input: unknown, source: string, baseDir: string): NodeConfig {
  const result = userConfigSchema.safeParse(input ?? {});
  if (!result.success) throw allOf(result.error.issues.map((issue) => issueToError(issue, source)));
  const problems = tierProblems(result.data, source);
  if (problems.length > 0) throw allOf(problems);
  return deepFreeze(toRuntime(result.data, baseDir));
}

/** One error for several problems: the first's path, every message (one per line) when there are more. */
function allOf(problems: ConfigError[]): ConfigError {
  if (problems.length === 1) return problems[0]!;
  return new ConfigError('', `${problems.length} problems:\n${problems.map((p) => `  - ${p.message}`).join('\n')}`, { cause: problems });
}


function credentialPolicyProblems(config: ParsedUserConfig, source: string): ConfigError[] {
  const base = normalizeDn(config.federation!.baseDn);
  const problems: ConfigError[] = [];
  config.directory.credentialPolicy.forEach((rule, i) => {
    const [field, dn] = rule.subtree !== undefined ? ['subtree', rule.subtree] : ['group', rule.group!];
    const where = `${source}: directory.credentialPolicy[${i}].${field}`;
    let norm: string;
    try {
      norm = normalizeDn(dn);
    } catch (err) {
      problems.push(new ConfigError(where, `${(err as Error).message}; expected a DN such as ou=people,${config.federation!.baseDn}`));
      return;
    }
    if (!isUnder(norm, base)) problems.push(new ConfigError(where, `${dn} is not under the base DN ${config.federation!.baseDn}`));
  });
  return problems;
}

function tierProblems(config: ParsedUserConfig, source: string): ConfigError[] {
  const problems: ConfigError[] = [];
  const problem = (field: string, message: string): void => void problems.push(new ConfigError(`${source}: ${field}`, message));
  if (config.tier === 'core') {
    if (config.parents.length > 0) problem('parents', 'the core has no parents; remove the list or change the tier');
    if (config.security.joinToken !== undefined) problem('security.joinToken', 'the core makes join tokens; it does not use one');
    if (config.security.joinTokenFile !== undefined) problem('security.joinTokenFile', 'the core makes join tokens; it does not use one');
    if (!config.federation) problem('federation', 'is required on the core (domain and baseDn of the federation)');
    else problems.push(...credentialPolicyProblems(config, source));
    return problems;
  }
  if (config.core !== undefined) problem('core', 'only a core member runs in a core group (tier: core); remove the section or change the tier');
  if (config.security.joinToken !== undefined && config.security.joinTokenFile !== undefined) problem('security.joinTokenFile', 'give joinToken or joinTokenFile, not both');
  if (config.parents.length === 0) problem('parents', `a ${config.tier} node needs at least one parent (name and address of its primary parent)`);
  if (config.federation) problem('federation', 'only the core declares the federation; other nodes learn it from the core');
  if (config.directory.adminPassword !== undefined) problem('directory.adminPassword', 'only the core sets the directory admin password; it replicates from there');
  if (config.directory.credentialPolicy.length > 0) problem('directory.credentialPolicy', 'only the core sets the credential policy; it replicates from there');
  // A name may come back with another address: the members of a highly available core are all named core.
  const seen = new Set<string>();
  config.parents.forEach((parent, index) => {
    const id = `${parent.name} ${parent.address}`;
    if (parent.name === config.name) problem(`parents[${index}].name`, 'a node cannot be its own parent');
    else if (seen.has(id)) problem(`parents[${index}]`, `parent ${parent.name} at ${parent.address} is listed twice`);
    seen.add(id);
  });
  return problems;
}

/** dns.workers, directory.workers: auto — every core but one (the node process's), none on a single core. */
export function autoWorkers(cores = usableCores()): number {
  return Math.max(0, Math.min(64, cores - 1));
}

/** The cores this process may use: the machine's, or fewer under a cgroup CPU limit (a container's `cpus`). */
function usableCores(): number {
  const cores = os.availableParallelism();
  try {
    const [quota, period] = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(/\s+/);
    const limit = quota === 'max' ? Infinity : Math.ceil(Number(quota) / Number(period));
    return Number.isFinite(limit) && limit > 0 ? Math.min(cores, limit) : cores;
  } catch {
    return cores; // no cgroup v2 CPU controller here
  }
}

function toRuntime(config: ParsedUserConfig, baseDir: string): NodeConfig {
  const listen = Object.fromEntries(
    SERVICES.map((service) => [service, parseHostPort(config.listen[service] ?? DEFAULT_LISTEN[service]) as HostPort]),
  ) as Record<ServiceName, HostPort>;
  return {
    name: config.name,
    tier: config.tier,
    parents: config.parents.map((p) => ({ name: p.name, address: parseHostPort(p.address) as HostPort })),
    dataDir: path.resolve(baseDir, config.dataDir),
    federation: config.federation && {
      domain: normaliseDomain(config.federation.domain),
      baseDn: config.federation.baseDn.toLowerCase(),
    },
    listen,
    link: { ...config.link },
    dns: {
      ...config.dns,
      workers: config.dns.workers === 'auto' ? autoWorkers() : config.dns.workers,
      zone: config.dns.zone && normaliseDomain(config.dns.zone),
      advertise: config.dns.advertise,
      upstreams: config.dns.upstreams.map((u) => parseHostPort(u) as HostPort),
      cache: { ...config.dns.cache },
    },
    time: { ...config.time, upstreams: config.time.upstreams.map((u) => parseHostPort(u) as HostPort), test: { ...config.time.test } },
    directory: {
      adminPassword: config.directory.adminPassword,
      tls: config.directory.tls && { certFile: path.resolve(baseDir, config.directory.tls.certFile), keyFile: path.resolve(baseDir, config.directory.tls.keyFile) },
      sizeLimit: config.directory.sizeLimit,
      timeLimitS: config.directory.timeLimitS,
      maxMessageBytes: config.directory.maxMessageBytes,
      credentialPolicy: config.directory.credentialPolicy.map((r) => ({ ...r })),
      indexes: [...config.directory.indexes],
      workers: config.directory.workers === 'auto' ? autoWorkers() : config.directory.workers,
    },
    security: { mode: config.security.mode, renewBeforeDays: config.security.renewBeforeDays, certificateNames: config.security.certificateNames, joinToken: config.security.joinToken, joinTokenFile: config.security.joinTokenFile && path.resolve(baseDir, config.security.joinTokenFile) },
    log: { level: config.log.level },
    store: { compaction: { ...config.store.compaction } },
    core: config.core && {
      member: config.core.member ?? (config.listen.grpc ?? DEFAULT_LISTEN.grpc),
      etcd: { ...config.core.etcd, endpoints: [...config.core.etcd.endpoints] },
    },
  };
}

function normaliseDomain(domain: string): string {
  const lower = domain.toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}


/** The runtime config written back in the user form (every default spelled out). */
export function toUserConfig(config: NodeConfig): Record<string, unknown> {
  return {
    name: config.name,
    tier: config.tier,
    parents: config.parents.map((p) => ({ name: p.name, address: formatHostPort(p.address) })),
    dataDir: config.dataDir,
    ...(config.federation ? { federation: { ...config.federation } } : {}),
    listen: Object.fromEntries(Object.entries(config.listen).map(([service, address]) => [service, formatHostPort(address)])),
    link: { ...config.link },
    dns: {
      ...(config.dns.zone ? { zone: config.dns.zone } : {}),
      ...(config.dns.advertise ? { advertise: config.dns.advertise } : {}),
      recursionFrom: [...config.dns.recursionFrom],
      upstreams: config.dns.upstreams.map(formatHostPort),
      cache: { ...config.dns.cache },
      staleTtlS: config.dns.staleTtlS,
      clientTimeoutMs: config.dns.clientTimeoutMs,
      serverTimeoutMs: config.dns.serverTimeoutMs,
      serviceTtlS: config.dns.serviceTtlS,
      transferTo: [...config.dns.transferTo],
      workers: config.dns.workers,
    },
    time: { ...config.time, upstreams: config.time.upstreams.map(formatHostPort), test: { ...config.time.test } },
    directory: {
      ...(config.directory.adminPassword !== undefined ? { adminPassword: config.directory.adminPassword } : {}),
      ...(config.directory.tls ? { tls: { ...config.directory.tls } } : {}),
      sizeLimit: config.directory.sizeLimit,
      timeLimitS: config.directory.timeLimitS,
      maxMessageBytes: config.directory.maxMessageBytes,
      credentialPolicy: config.directory.credentialPolicy.map((r) => ({ ...r })),
      indexes: [...config.directory.indexes],
      workers: config.directory.workers,
    },
    security: { mode: config.security.mode, renewBeforeDays: config.security.renewBeforeDays, ...(config.security.certificateNames.length > 0 ? { certificateNames: [...config.security.certificateNames] } : {}), ...(config.security.joinToken ? { joinToken: config.security.joinToken } : {}), ...(config.security.joinTokenFile ? { joinTokenFile: config.security.joinTokenFile } : {}) },
    log: { ...config.log },
    store: { compaction: { ...config.store.compaction } },
    ...(config.core ? { core: { member: config.core.member, etcd: { ...config.core.etcd, endpoints: [...config.core.etcd.endpoints] } } } : {}),
  };
}
