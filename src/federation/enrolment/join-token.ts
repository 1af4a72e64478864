// One-time join tokens (DESIGN §7):
// `strata2.<node>.<tier>.<parents>.<new|replace>.<expires s>.<CA sha256>.<mac>`.
// The MAC (HMAC-SHA256 with the core's join secret) makes a token the core's
// own; the node name, tier and placement (its parents, primary first) bind it
// to one node in one place of the tree: all three go into the certificate,
// so a parent knows from it alone whether a linking child belongs under it.
// `replace` lets the token re-enrol a name that already has a certificate
// (the old one is revoked); without it, an enrolled name is refused. The CA
// fingerprint lets the new node check it is talking to this federation's CA
// before it sends the token (kubeadm's discovery-token-ca-cert-hash). Pure:
// secrets and time come in.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidArgumentError, PermissionDeniedError } from '../../kernel/errors';

export interface JoinClaims {
  node: string;
  tier: 'regional' | 'site';
  /** Where the node sits: its parents, primary first. */
  parents: string[];
  /** May this token re-enrol a name that already has a certificate (revoking it)? */
  replace: boolean;
  expiresS: number;
  caFingerprint: string;
}

const PREFIX = 'strata2';
const NODE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

function body(claims: JoinClaims): string {
  return `${PREFIX}.${claims.node}.${claims.tier}.${claims.parents.join(',')}.${claims.replace ? 'replace' : 'new'}.${claims.expiresS}.${claims.caFingerprint}`;
}

function mac(secret: Buffer, claims: JoinClaims): string {
  return createHmac('sha256', secret).update(body(claims)).digest('hex').slice(0, 32);
}

export function makeJoinToken(secret: Buffer, claims: JoinClaims): string {
  if (claims.parents.length === 0 || !claims.parents.every((p) => NODE_NAME.test(p))) throw new InvalidArgumentError(`a join token needs the node's parents (node names, primary first), got ${JSON.stringify(claims.parents)}`);
  if (claims.parents.includes(claims.node)) throw new InvalidArgumentError(`node ${claims.node} cannot be its own parent`);
  return `${body(claims)}.${mac(secret, claims)}`;
}

/** The claims a token makes (not yet verified): what a joining node reads from it. */
export function readJoinToken(token: string): JoinClaims & { mac: string } {
  const parts = token.trim().split('.');
  const [prefix, node, tier, parents, flag, expires, caFingerprint, tokenMac] = parts;
  const parentList = (parents ?? '').split(',');
  if (
    parts.length !== 8 || prefix !== PREFIX || !NODE_NAME.test(node ?? '') || (tier !== 'regional' && tier !== 'site') || !parentList.every((p) => NODE_NAME.test(p)) ||
    (flag !== 'new' && flag !== 'replace') || !/^\d+$/.test(expires ?? '') || !/^[0-9a-f]{64}$/.test(caFingerprint ?? '') || !/^[0-9a-f]{32}$/.test(tokenMac ?? '')
  ) {
    throw new InvalidArgumentError('not a Strata join token (expected strata2.<node>.<tier>.<parents>.<new|replace>.<expiry>.<CA fingerprint>.<mac>); make one on the core with `strata join-token NODE --tier TIER --parents P1,P2`');
  }
  return { node: node!, tier, parents: parentList, replace: flag === 'replace', expiresS: Number(expires), caFingerprint: caFingerprint!, mac: tokenMac! };
}

/** The core's check: its own MAC, not expired. (One-time use is checked by the caller against what it recorded.) */
export function verifyJoinToken(secret: Buffer, token: string, nowMs: number): JoinClaims & { mac: string } {
  const claims = readJoinToken(token);
  const expected = Buffer.from(mac(secret, claims), 'utf8');
  if (!timingSafeEqual(expected, Buffer.from(claims.mac, 'utf8'))) throw new PermissionDeniedError(`join token for ${claims.node} was not made by this federation's core`);
  if (claims.expiresS * 1000 < nowMs) throw new PermissionDeniedError(`join token for ${claims.node} expired at ${new Date(claims.expiresS * 1000).toISOString()}; make a new one with \`strata join-token ${claims.node}\``);
  return claims;
}
