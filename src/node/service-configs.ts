// What each service is started with, read from the node's config: the one
// place that knows both the config file's shape and the services' options.

import type { NamingConfig } from '../naming/naming';
import type { TimeConfig } from '../time/timekeeping';
import type { DirectoryConfig } from '../directory/directory';
import type { NodeConfig } from './config';
import type { ServerCredentials } from './tls-files';

export function namingConfig(config: NodeConfig): NamingConfig {
  const dns = config.dns;
  return {
    listen: config.listen.dns,
    recursionFrom: dns.recursionFrom,
    upstreams: dns.upstreams,
    cache: dns.cache,
    staleTtlS: dns.staleTtlS,
    clientTimeoutMs: dns.clientTimeoutMs,
    serverTimeoutMs: dns.serverTimeoutMs,
    serviceTtlS: dns.serviceTtlS,
    transferTo: dns.transferTo,
    workers: dns.workers,
  };
}

export function timeConfig(config: NodeConfig): TimeConfig {
  const time = config.time;
  return {
    listen: config.listen.ntp,
    isCore: config.tier === 'core',
    upstreams: time.upstreams,
    localStratum: time.localStratum,
    pollS: time.pollS,
    timeoutMs: time.timeoutMs,
    maxDistanceMs: time.maxDistanceMs,
    testSkew: { offsetMs: time.test.skewMs, driftPpm: time.test.driftPpm },
  };
}

export function directoryConfig(config: NodeConfig, tls: ServerCredentials): DirectoryConfig {
  const settings = config.directory;
  const { maxMessageBytes, adminPassword, credentialPolicy, indexes, workers } = settings;
  return {
    listen: config.listen.ldap,
    ldaps: { listen: config.listen.ldaps, key: tls.key, cert: tls.cert },
    limits: { sizeLimit: settings.sizeLimit, timeLimitS: settings.timeLimitS },
    maxMessageBytes, adminPassword, credentialPolicy, indexes, workers,
  };
}
