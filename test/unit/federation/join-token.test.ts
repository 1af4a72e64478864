import assert from 'node:assert/strict';
import { makeJoinToken, readJoinToken, verifyJoinToken } from '../../../src/federation/join-token';
import { InvalidArgumentError, PermissionDeniedError } from '../../../src/kernel/errors';

describe('join tokens', () => {
  const secret = Buffer.from('core secret');
  const claims = { node: 'berlin', tier: 'site' as const, expiresS: 2_000_000_000, caFingerprint: 'ab'.repeat(32) };

  it('carries the node, expiry and CA fingerprint, and verifies at the core that made it', () => {
    const token = makeJoinToken(secret, claims);
    assert.match(token, /^strata1\.berlin\.site\.2000000000\.(ab){32}\.[0-9a-f]{32}$/);
    assert.deepEqual(readJoinToken(token).caFingerprint, claims.caFingerprint);
    assert.equal(verifyJoinToken(secret, token, 1_000_000_000_000).node, 'berlin');
  });

  it('refuses tokens of another core, edited claims, expired or malformed tokens', () => {
    const token = makeJoinToken(secret, claims);
    assert.throws(() => verifyJoinToken(Buffer.from('other'), token, 0), PermissionDeniedError);
    assert.throws(() => verifyJoinToken(secret, token.replace('berlin', 'paris'), 0), /not made by this federation's core/);
    assert.throws(() => verifyJoinToken(secret, token, 2_000_000_001_000), /expired/);
    assert.throws(() => readJoinToken('hello'), InvalidArgumentError);
  });
});
