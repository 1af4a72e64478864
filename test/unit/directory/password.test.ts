import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { hashPassword, isSupportedHash, sshaHash, storedPassword, verifyPassword } from '../../../src/directory/security/password';

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

  it('verifies hashes made by OpenLDAP itself (slappasswd, with pw-pbkdf2 and pw-sha2 from Debian slapd-contrib)', async () => {
    // Known answers: `slappasswd -o module-load=pw-pbkdf2.la -h '{PBKDF2-SHA512}' -s …` and the like, not our own code.
    const made = {
      'alice-demo': [
        '{PBKDF2-SHA512}10000$cThQFP0i1JPtjtLm65At/g$I1873Zg3S5EXnNgdo2BKERNFIMy.IZTo7kLTLAU1QLW.j.Sm8iEFClevCosbe6/2gYN3aTqY9ExGRKYatGMiOw',
        '{PBKDF2-SHA512}10000$FZovTpJ73FZh4m2qqWK5Yw$kC0MpTL4r2a2o9pHhA8yaqKBffMG36X1niLI2iS8zvGdpS7uC.ah/S65CWs9hpFuXyf/B8x0vVwadJOZIi5Qbg',
        '{SSHA}rQyuSQiUIlHriztwQAqHE0vreYO5EMPf',
        '{SSHA256}zt95RJrtCwpG93oHtJdSiy+q0C19Z2hR+zrpzrojQb58AplZ8CKXFQ==',
        '{SSHA512}KxyciplOjBYZvIZuN5SstTx/q2EEB6P2sjUTTfKPF5Zi50u1fnFpMpZxKQG4fsLn6MNt7YPdnwq1mEFvNiHoWMkLiHsGJMjy',
      ],
      'pässwörd ✓': ['{PBKDF2-SHA512}10000$tnF5By6WZeE1lWuIOGQjVQ$YkF3y8SVZiu6Wnv24Sd4H11keue/h8zJIEpR5mJm3a7tnU0XyZf0qrvxG8SQKXC659gmZCwTX/twPAAey3VfwA'],
    };
    for (const [password, hashes] of Object.entries(made)) {
      for (const hash of hashes) {
        assert.equal(await verifyPassword(password, hash), true, `${password} against ${hash}`);
        assert.equal(await verifyPassword(`${password}x`, hash), false, `a wrong password against ${hash}`);
      }
    }
  });

  it('keeps supported hashes given by a writer, refuses other schemes and hashes cleartext', async () => {
    const ssha = sshaHash('pw');
    assert.equal(await storedPassword(ssha), ssha);
    await assert.rejects(storedPassword('{CRYPT}abc'), /scheme \{CRYPT\} is not supported/);
    assert.ok(isSupportedHash(await storedPassword('plain words')));
  });
});
