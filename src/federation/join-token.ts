// One-time join tokens (DESIGN §7): `strata1.<node>.<tier>.<expires s>.<CA sha256>.<mac>`.
// The MAC (HMAC-SHA256 with the core's join secret) makes a token the core's
// own; the node name and tier bind it to one node (the tier goes into the
// certificate, so a parent knows a child's tier from it); the CA fingerprint lets the new
// node check it is talking to this federation's CA before it sends the token
// (kubeadm's discovery-token-ca-cert-hash). Pure: secrets and time come in.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidArgumentError, PermissionDeniedError } from '../kernel/errors';

export interface JoinClaims {
  node: string;
  tier: 'regional' | 'site';
  expiresS: number;
  caFingerprint: string;
}

const PREFIX = 'strata1';

function mac(secret: Buffer, claims: JoinClaims): string {
  return createHmac('sha256', secret).update(`${PREFIX}.${claims.node}.${claims.tier}.${claims.expiresS}.${claims.caFingerprint}`).digest('hex').slice(0, 32);
}

export function makeJoinToken(secret: Buffer, claims: JoinClaims): string {
  return `${PREFIX}.${claims.node}.${claims.tier}.${claims.expiresS}.${claims.caFingerprint}.${mac(secret, claims)}`;
}

/** The claims a token makes (not yet verified): what a joining node reads from it. */
export function readJoinToken(token: string): JoinClaims & { mac: string } {
  const parts = token.trim().split('.');
  const [prefix, node, tier, expires, caFingerprint, tokenMac] = parts;
  if (parts.length !== 6 || prefix !== PREFIX || !node || (tier !== 'regional' && tier !== 'site') || !/^\d+$/.test(expires ?? '') || !/^[0-9a-f]{64}$/.test(caFingerprint ?? '') || !/^[0-9a-f]{32}$/.test(tokenMac ?? '')) {
    throw new InvalidArgumentError('not a Strata join token (expected strata1.<node>.<tier>.<expiry>.<CA fingerprint>.<mac>); make one on the core with `strata join-token NODE --tier TIER`');
  }
  return { node, tier, expiresS: Number(expires), caFingerprint: caFingerprint!, mac: tokenMac! };
}

/** The core's check: its own MAC, not expired. (One-time use is checked by the caller against what it recorded.) */
export function verifyJoinToken(secret: Buffer, token: string, nowMs: number): JoinClaims & { mac: string } {
  const claims = readJoinToken(token);
  const expected = Buffer.from(mac(secret, claims), 'utf8');
  if (!timingSafeEqual(expected, Buffer.from(claims.mac, 'utf8'))) throw new PermissionDeniedError(`join token for ${claims.node} was not made by this federation's core`);
  if (claims.expiresS * 1000 < nowMs) throw new PermissionDeniedError(`join token for ${claims.node} expired at ${new Date(claims.expiresS * 1000).toISOString()}; make a new one with \`strata join-token ${claims.node}\``);
  return claims;
}
