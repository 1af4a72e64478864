import assert from 'node:assert/strict';
import { makeJoinToken, readJoinToken, verifyJoinToken } from '../../../src/federation/enrolment/join-token';
import { InvalidArgumentError, PermissionDeniedError } from '../../../src/kernel/errors';

describe('join tokens', () => {
  const secret = Buffer.from('core secret');
  const claims = { node: 'berlin', tier: 'site' as const, parents: ['eu', 'core'], replace: false, expiresS: 2_000_000_000, caFingerprint: 'ab'.repeat(32) };

  it('carries the node, its tier and placement, the replace flag, expiry and CA fingerprint, and verifies at the core that made it', () => {
    const token = makeJoinToken(secret, claims);
    assert.match(token, /^strata2\.berlin\.site\.eu,core\.new\.2000000000\.(ab){32}\.[0-9a-f]{32}$/);
    const read = readJoinToken(token);
    assert.deepEqual({ ...read, mac: undefined }, { ...claims, mac: undefined });
    assert.equal(readJoinToken(makeJoinToken(secret, { ...claims, replace: true })).replace, true);
    assert.equal(verifyJoinToken(secret, token, 1_000_000_000_000).node, 'berlin');
  });

  it('refuses tokens of another core, edited claims, expired or malformed tokens', () => {
    const token = makeJoinToken(secret, claims);
    assert.throws(() => verifyJoinToken(Buffer.from('other'), token, 0), PermissionDeniedError);
    assert.throws(() => verifyJoinToken(secret, token.replace('berlin', 'paris'), 0), /not made by this federation's core/);
    assert.throws(() => verifyJoinToken(secret, token, 2_000_000_001_000), /expired/);
    assert.throws(() => verifyJoinToken(secret, token.replace('eu,core', 'paris,core'), 0), /not made by this federation's core/, 'the placement is signed too');
    assert.throws(() => verifyJoinToken(secret, token.replace('.new.', '.replace.'), 0), /not made by this federation's core/, 'and the replace flag');
    assert.throws(() => readJoinToken('hello'), InvalidArgumentError);
    assert.throws(() => makeJoinToken(secret, { ...claims, parents: [] }), /needs the node's parents/);
    assert.throws(() => makeJoinToken(secret, { ...claims, parents: ['berlin'] }), /cannot be its own parent/);
  });
});
