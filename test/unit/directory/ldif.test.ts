import assert from 'node:assert/strict';
import { formatLdif, parseLdif } from '../../../src/directory/data/ldif';
import { InvalidArgumentError } from '../../../src/kernel/errors';

describe('directory: LDIF', () => {
  it('reads content records with comments, folded lines, base64 values and changetype add', () => {
    const entries = parseLdif([
      'version: 1',
      '# people',
      'dn: uid=zoe,ou=people,dc=x',
      'objectClass: person',
      'cn: Zoe',
      ' Example',
      `description:: ${Buffer.from('Zoë ', 'utf8').toString('base64')}`,
      'sn: E',
      '',
      'dn: uid=yan,ou=people,dc=x',
      'changetype: add',
      'objectClass: person',
      'cn: Yan',
      '',
    ].join('\n'));
    assert.deepEqual(entries, [
      { dn: 'uid=zoe,ou=people,dc=x', attrs: { objectClass: ['person'], cn: ['ZoeExample'], description: ['Zoë '], sn: ['E'] } },
      { dn: 'uid=yan,ou=people,dc=x', attrs: { objectClass: ['person'], cn: ['Yan'] } },
    ]);
  });

  it('writes LDIF that reads back the same, base64 for unsafe values and folded long lines', () => {
    const entries = [{ dn: 'cn=a,dc=x', attrs: { cn: ['a'], description: ['x'.repeat(200)], note: [' leading space', 'Zoë', ':colon'] } }];
    const text = formatLdif(entries);
    assert.ok(text.split('\n').every((l) => l.length <= 76));
    assert.match(text, /^note:: /m);
    assert.deepEqual(parseLdif(text), entries);
  });

  it('refuses what it cannot import, naming the file and line', () => {
    assert.throws(() => parseLdif('dn: cn=a,dc=x\nchangetype: modify\nreplace: cn\n', 'f.ldif'), (err: Error) => err instanceof InvalidArgumentError && /f\.ldif:2: changetype modify/.test(err.message));
    assert.throws(() => parseLdif('cn: a\n', 'f.ldif'), /f\.ldif:1: a record must start with "dn:"/);
    assert.throws(() => parseLdif('dn: cn=a,dc=x\nthis is not ldif\n', 'f.ldif'), /f\.ldif:2: expected "attribute: value"/);
  });
});
