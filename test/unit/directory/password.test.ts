import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { hashPassword, isSupportedHash, sshaHash, storedPassword, verifyPassword } from '../../../src/directory/password';

describe('directory: password hashes', () => {
  it('hashes new passwords with salted PBKDF2-SHA512 (OpenLDAP pw-pbkdf2 format) and verifies them', async () => {
    const a = await hashPassword('secret', 1000);
    const b = await hashPassword('secret', 1000);
    assert.match(a, /^\{PBKDF2-SHA512\}1000\$[A-Za-z0-9./]+\$[A-Za-z0-9./]+$/);
    assert.notEqual(a, b, 'salted');
    assert.ok(await verifyPassword('secret', a));
    assert.ok(!(await verifyPassword('Secret', a)));
  });

  it('verifies {SSHA}, {SSHA256} and {SSHA512} as OpenLDAP makes them, and never compares cleartext', async () => {
    for (const scheme of ['SSHA', 'SSHA256', 'SSHA512'] as const) {
      const hash = sshaHash('pw', scheme);
      assert.ok(await verifyPassword('pw', hash), scheme);
      assert.ok(!(await verifyPassword('px', hash)), scheme);
    }
    // slappasswd -h {SSHA} -s secret with salt "salt": base64(sha1("secret" + "salt") + "salt")
    const digest = createHash('sha1').update('secretsalt').digest();
    assert.ok(await verifyPassword('secret', `{SSHA}${Buffer.concat([digest, Buffer.from('salt')]).toString('base64')}`));
    assert.ok(!(await verifyPassword('secret', 'secret')), 'a stored cleartext value never verifies');
    assert.ok(!(await verifyPassword('secret', '{PBKDF2-SHA512}x$y$z')));
  });

  it('keeps supported hashes given by a writer, refuses other schemes and hashes cleartext', async () => {
    const ssha = sshaHash('pw');
    assert.equal(await storedPassword(ssha), ssha);
    await assert.rejects(storedPassword('{CRYPT}abc'), /scheme \{CRYPT\} is not supported/);
    assert.ok(isSupportedHash(await storedPassword('plain words')));
  });
});
