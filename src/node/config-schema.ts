// The node configuration as people write it (YAML): what is optional, what
// the defaults are, and what each field must look like. Validation only;
// turning it into the frozen runtime form is config.ts.

import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { ConfigError } from '../kernel/errors';
import { parseHostPort } from '../kernel/host-port';
import { DEFAULT_ADMIT_AT_ONCE } from '../federation/link/child-links';
import { PROTOCOL_RANGE, PROTOCOL_VERSION } from '../federation/link/link-session';

export const TIERS = ['core', 'regional', 'site'] as const;
export type Tier = (typeof TIERS)[number];

export const SERVICES = ['grpc', 'dns', 'ldap', 'ntp', 'http', 'ldaps'] as const;
export type ServiceName = (typeof SERVICES)[number];

const nodeName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'expected a node name: a lowercase DNS label (a-z, 0-9, -), starting with a letter');

const hostPort = z.string().superRefine((value, ctx) => {
  const parsed = parseHostPort(value);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
});

const domain = z
  .string()
  .regex(
    /^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+$|^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/,
    'expected a DNS domain such as edge.example.',
  );

const baseDn = z
  .string()
  .regex(/^dc=[^,=]+(,dc=[^,=]+)*$/i, 'expected a base DN made of dc= parts, such as dc=edge,dc=example');

export const DEFAULT_LISTEN: Record<ServiceName, string> = {
  grpc: '0.0.0.0:15300',
  dns: '0.0.0.0:53',
  ldap: '0.0.0.0:389',
  ntp: '0.0.0.0:123',
  http: '0.0.0.0:15304',
  ldaps: '0.0.0.0:636',
};

export const DEFAULT_LINK = {
  heartbeatMs: 1000,
  missedHeartbeats: 3,
  reconnectInitialMs: 200,
  reconnectMaxMs: 1000,
  primaryProbeMs: 2000,
  writeTimeoutMs: 5000,
  protocolVersion: PROTOCOL_VERSION,
  admitAtOnce: DEFAULT_ADMIT_AT_ONCE,
};

const linkSchema = z
  .strictObject({
    heartbeatMs: z.number().int().min(50).max(60_000).default(DEFAULT_LINK.heartbeatMs),
    missedHeartbeats: z.number().int().min(2).max(100).default(DEFAULT_LINK.missedHeartbeats),
    reconnectInitialMs: z.number().int().min(10).default(DEFAULT_LINK.reconnectInitialMs),
    reconnectMaxMs: z.number().int().min(100).default(DEFAULT_LINK.reconnectMaxMs),
    primaryProbeMs: z.number().int().min(100).default(DEFAULT_LINK.primaryProbeMs),
    writeTimeoutMs: z.number().int().min(100).default(DEFAULT_LINK.writeTimeoutMs),
    protocolVersion: z.number().int().min(PROTOCOL_RANGE.min).max(PROTOCOL_VERSION).default(DEFAULT_LINK.protocolVersion)
      .describe('the link protocol to speak: the newest this release knows, or the previous one while a fleet is upgraded'),
    admitAtOnce: z.number().int().min(1).max(10_000).default(DEFAULT_LINK.admitAtOnce)
      .describe('children catching up at once at most (after a regional is lost its sites all come here): one more is refused as busy and retries after its jittered backoff'),
  })
  .default(DEFAULT_LINK);

const cidr = z.string().superRefine((value, ctx) => {
  const [address, bits, extra] = value.split('/');
  const v4 = isIPv4(address ?? '');
  const max = v4 ? 32 : 128;
  if (extra !== undefined || !(v4 || isIPv6(address ?? '')) || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= max))) {
    ctx.addIssue({ code: 'custom', message: `expected an address or CIDR such as 10.0.0.0/8 or fd00::/8, got ${JSON.stringify(value)}` });
  }
});

const ipAddress = z.string().refine((v) => isIPv4(v) || isIPv6(v), 'expected an IPv4 or IPv6 address');

const certificateName = z.string().refine(
  // An IPv6 address with a zone (fe80::1%eth0) or IPv4-mapped (::ffff:…) cannot be a certificate's name: not accepted.
  (v) => isIPv4(v) || (isIPv6(v) && !v.includes('%') && !/^::ffff:/i.test(v)) || (v.length <= 253 && /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(v)),
  'expected a DNS name (berlin.example.com) or an IP address',
);

export const DEFAULT_RECURSION_FROM = ['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'];

const dnsSchema = z
  .strictObject({
    zone: domain.optional().describe('override the zone this node owns (default: <name>.<parent zone>)'),
    advertise: ipAddress.optional().describe('address put in NS glue for this node (default: the DNS listen address)'),
    recursionFrom: z.array(cidr).default(DEFAULT_RECURSION_FROM),
    upstreams: z.array(hostPort).default([]),
    cache: z
      .strictObject({
        maxEntries: z.number().int().min(0).default(10_000),
        maxTtlS: z.number().int().min(1).default(86_400),
        maxStaleS: z.number().int().min(0).default(86_400),
      })
      .prefault({}),
    staleTtlS: z.number().int().min(1).max(3600).default(30),
    clientTimeoutMs: z.number().int().min(10).default(1800),
    serverTimeoutMs: z.number().int().min(10).default(1500),
    serviceTtlS: z.number().int().min(0).max(3600).default(5),
    transferTo: z.array(ipAddress).default([]),
    workers: z.union([z.number().int().min(0).max(64), z.literal('auto')]).default('auto')
      .describe("worker processes sharing the UDP socket and answering held zones and cached names (0: the node process serves UDP; auto: the machine's cores − 1)"),
  })
  .prefault({});

const timeSchema = z
  .strictObject({
    upstreams: z.array(hostPort).default([]).describe("the core's upstream NTP servers (none: the core serves its local clock)"),
    localStratum: z.number().int().min(1).max(15).default(10).describe('stratum the core announces for its local clock'),
    pollS: z.number().int().min(1).max(1024).default(16),
    timeoutMs: z.number().int().min(10).max(60_000).default(1000),
    maxDistanceMs: z.number().positive().default(1500).describe('root distance past which the node announces leap 3 (unsynchronised)'),
    test: z
      .strictObject({ skewMs: z.number().default(0), driftPpm: z.number().min(-1000).max(1000).default(0) })
      .prefault({})
      .describe('tests only: skew and drift the host clock as this node sees it'),
  })
  .prefault({});

const directorySchema = z
  .strictObject({
    adminPassword: z.string().min(1).optional().describe("core only: password of the directory admin cn=admin,<baseDn> (cleartext, or a {PBKDF2-SHA512}/{SSHA…} hash)"),
    sizeLimit: z.number().int().min(0).default(500).describe('entries per search for everyone but the directory admin (0: no limit)'),
    timeLimitS: z.number().int().min(0).default(60).describe('seconds per search for everyone but the directory admin (0: no limit)'),
    maxMessageBytes: z.number().int().min(4096).max(64 * 1024 * 1024).default(1024 * 1024).describe('largest LDAP request accepted; a larger or malformed one closes the connection with protocolError'),
    tls: z
      .strictObject({ certFile: z.string().min(1), keyFile: z.string().min(1) })
      .optional()
      .describe('LDAPS key and certificate (PEM files); default: a self-signed pair made in <dataDir>/tls/'),
    credentialPolicy: z
      .array(
        z
          .strictObject({ subtree: z.string().min(1).optional(), group: z.string().min(1).optional(), lowestTier: z.enum(TIERS) })
          .refine((rule) => (rule.subtree === undefined) !== (rule.group === undefined), 'give exactly one of subtree or group'),
      )
      .default([])
      .describe('core only: password hashes of a subtree or of a group\'s members replicate no lower than lowestTier; first match wins'),
    indexes: z
      .array(z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'expected an attribute name (letters, digits, hyphens)'))
      .default([])
      .describe('attributes indexed for equality, presence and initial substrings besides objectClass, uid, cn, mail, member and uniqueMember (a change rebuilds the indexes at start)'),
    workers: z.union([z.number().int().min(0).max(64), z.literal('auto')]).default('auto')
      .describe("worker processes serving LDAP and LDAPS from the node's store, read only (0: the node process serves; auto: the machine's cores − 1)"),
  })
  .prefault({});

const securitySchema = z
  .strictObject({
    mode: z.enum(['mtls', 'plaintext']).default('mtls').describe('mtls: node-to-node links and the gRPC API use TLS with the core\'s CA; plaintext: neither (trusted networks and tests only)'),
    joinToken: z.string().min(1).optional().describe('non-core, first start only: the one-time token from `strata join-token NAME` on the core (prefer joinTokenFile: a token in the config stays there)'),
    renewBeforeDays: z.number().min(0).default(30).describe('renew the node certificate over the tree when it has less than this left (or a third of its life)'),
    joinTokenFile: z.string().min(1).optional().describe('non-core, first start only: a file (mode 0600) holding the join token; the node deletes it once enrolled'),
    certificateNames: z.array(certificateName).max(50).default([])
      .describe('more DNS names and IP addresses the node certificate (and the self-signed LDAPS one) must name: the addresses clients dial it by (a public or NAT address, a DNS name); a certificate without one is renewed at start'),
  })
  .prefault({});

export const userConfigSchema = z.strictObject({
  name: nodeName,
  tier: z.enum(TIERS),
  parents: z
    .array(z.strictObject({ name: nodeName, address: hostPort }))
    .default([])
    .describe('ordered: the primary parent first, then fallbacks'),
  dataDir: z.string().min(1, 'expected a directory path'),
  federation: z.strictObject({ domain, baseDn }).optional(),
  listen: z
    .strictObject({
      grpc: hostPort.optional(),
      dns: hostPort.optional(),
      ldap: hostPort.optional(),
      ntp: hostPort.optional(),
      http: hostPort.optional(),
      ldaps: hostPort.optional(),
    })
    .default({}),
  link: linkSchema,
  dns: dnsSchema,
  time: timeSchema,
  directory: directorySchema,
  security: securitySchema,
  log: z.strictObject({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info') }).default({ level: 'info' }),
  core: z
    .strictObject({
      member: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:@[\]-]{0,99}$/, 'expected a member name such as core-1 (letters, digits, . _ : @ [ ] -)').optional().describe("this member's name within the core group (default: the gRPC listen address)"),
      etcd: z.strictObject({
        endpoints: z.array(hostPort).min(1, 'give at least one etcd client address (host:port)').describe("etcd's client addresses; every member of the core group lists the same etcd cluster"),
        prefix: z.string().regex(/^\/[!-~]*\/$/, "expected a key prefix starting and ending with '/', such as /strata/").default('/strata/'),
        callTimeoutMs: z.number().int().min(100).max(60_000).default(1500).describe('deadline of each etcd call (tried on up to 3 members): how soon a lost quorum becomes an error'),
        maxTxnOps: z.number().int().min(8).default(128).describe("etcd's --max-txn-ops: a transaction holds at most (this - 1) / 2 mutations"),
      }),
    })
    .optional()
    .describe('core only: run as one member of a highly available core group whose state is in etcd'),
  store: z
    .strictObject({
      compaction: z
        .strictObject({
          keepChanges: z.number().int().min(0).default(100_000),
          keepMs: z.number().int().min(0).default(86_400_000),
          intervalMs: z.number().int().min(1000).default(60_000),
        })
        .default({ keepChanges: 100_000, keepMs: 86_400_000, intervalMs: 60_000 }),
    })
    .default({ compaction: { keepChanges: 100_000, keepMs: 86_400_000, intervalMs: 60_000 } }),
});

export type UserConfig = z.input<typeof userConfigSchema>;
export type ParsedUserConfig = z.output<typeof userConfigSchema>;

/** One schema problem as a ConfigError naming the file and the field. */
export function issueToError(issue: z.core.$ZodIssue, source: string): ConfigError {
  const fieldPath = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; check the spelling against the README`;
  } else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    message = `is required (expected ${issue.expected})`;
  }
  return new ConfigError(`${source}: ${fieldPath || '(top level)'}`, message);
}
