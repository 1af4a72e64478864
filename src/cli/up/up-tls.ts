// What `strata up` (and the test cluster) prepare so a federation starts with
// mutual TLS (DESIGN §7, "strata up does all of this automatically"): the
// core's CA, made before any node starts; a one-time join token for every
// node that has not enrolled yet; and <data-dir>/ca.crt for the CLI.

import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../kernel/clock';
import { ensureAuthority, installAuthorityFiles, joinTokenFor, loadIdentity, operatorCertificate, readAuthorityFiles, saveOperator } from '../../node/identity';
import type { NodeIdentity } from '../../federation/client';
import { verifiedIdentity } from '../../kernel/x509';
import { instanceName, membersOf, type Topology } from './topology';

export const CA_FILE = 'ca.crt';
const TOKEN_TTL_S = 3600;

export function prepareTls(topology: Topology, dataDir: string, clock: Clock): { caPem: string; operator: NodeIdentity; tokens: Record<string, string> } {
  const core = topology.nodes.find((n) => n.tier === 'core')!;
  const coreDir = path.resolve(dataDir, core.name);
  const { ca } = ensureAuthority(coreDir, clock);
  copyFileSync(path.join(coreDir, 'tls', 'ca.crt'), path.join(dataDir, CA_FILE));
  // The members of a core group start with the same CA (they also share it through etcd, whichever member starts first).
  for (let member = 2; member <= membersOf(core); member++) {
    const memberDir = path.resolve(dataDir, instanceName(core, member));
    if (!existsSync(path.join(memberDir, 'tls', 'ca.key'))) installAuthorityFiles(memberDir, readAuthorityFiles(coreDir, clock));
  }
  // The operator's certificate, for the CLI pointed at this data dir (and for `strata up` loading the demo data).
  const operator = readOperator(dataDir, ca.certPem, clock.nowMs()) ?? operatorCertificate(coreDir, 'strata-up', clock);
  saveOperator(dataDir, operator);
  const tokens: Record<string, string> = {};
  for (const node of topology.nodes) {
    if (node.tier === 'core' || loadIdentity(path.resolve(dataDir, node.name))) continue;
    // A node data dir without a certificate is a new node, or one rebuilt from scratch: its name may be enrolled already.
    tokens[node.name] = joinTokenFor(coreDir, node.name, { tier: node.tier === 'regional' ? 'regional' : 'site', parents: [...node.parents], replace: true }, TOKEN_TTL_S, clock);
  }
  return { caPem: ca.certPem, operator, tokens };
}

/** `<dir>/operator.{key,crt}` if both are there and the certificate is from this CA. */
export function readOperator(dir: string, caPem: string, nowMs: number): NodeIdentity | undefined {
  const keyFile = path.join(dir, 'operator.key');
  const certFile = path.join(dir, 'operator.crt');
  if (!existsSync(keyFile) || !existsSync(certFile)) return undefined;
  const certPem = readFileSync(certFile, 'utf8');
  return verifiedIdentity(certPem, caPem, nowMs) === undefined ? undefined : { caPem, keyPem: readFileSync(keyFile, 'utf8'), certPem };
}
