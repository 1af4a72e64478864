import assert from 'node:assert/strict';
import { dnKey, dnOfKey, isUnder, levelsBelow, normalizeDn, normalizeFull, parentDn, parseDn, tidyDn } from '../../../src/directory/data/dn';
import { InvalidArgumentError } from '../../../src/kernel/errors';
import { placeOf } from '../../../src/directory/data/subtrees';

describe('directory: DNs and subtrees', () => {
  it('normalises case, spaces, escapes and multi-valued RDNs so equal DNs compare equal', () => {
    assert.equal(normalizeDn('UID=Alice, OU=People,DC=Edge, dc=example'), 'uid=alice,ou=people,dc=edge,dc=example');
    assert.equal(normalizeDn('cn=Smith\\, John,ou=x'), 'cn=smith\\, john,ou=x');
    assert.equal(normalizeDn('cn=a\\2cb,ou=x'), normalizeDn('cn=a\\,b,ou=x'), 'hex and character escapes are the same value');
    assert.equal(normalizeDn('sn=B+cn=A,ou=x'), normalizeDn('cn=a+sn=b,ou=x'));
    assert.equal(normalizeDn(''), '');
    assert.deepEqual(parseDn('cn=a\\,b,dc=x').map((r) => r[0]!.value), ['a,b', 'x']);
    assert.equal(tidyDn('uid=Alice, ou=People'), 'uid=Alice,ou=People', 'display keeps case');
    assert.throws(() => normalizeDn('not a dn'), InvalidArgumentError);
    assert.throws(() => normalizeDn('cn=a,,dc=x'), InvalidArgumentError);
  });

  it('normalises plain DNs by its fast path exactly as the RFC 4514 parser does, and keys them alike', () => {
    const alphabet = ['a', 'B', 'z', ' ', ' ', '=', '=', ',', ',', '\\', '"', '+', '#', '<', ';', '\t', '1', '.', '-', 'é', 'İ', 'uid=', 'cn=', 'OU=', ',dc='];
    let seed = 7;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    let plain = 0;
    for (let i = 0; i < 20_000; i++) {
      const dn = Array.from({ length: 1 + random(14) }, () => alphabet[random(alphabet.length)]).join('');
      const outcome = (f: (dn: string) => string): string => {
        try {
          return f(dn);
        } catch (err) {
          return `throws ${(err as Error).name}`;
        }
      };
      const full = outcome(normalizeFull);
      assert.equal(outcome(normalizeDn), full, JSON.stringify(dn));
      if (!full.startsWith('throws')) {
        plain += /[\\"+<>;#]/.test(dn) ? 0 : 1;
        assert.equal(dnOfKey(dnKey(full)), full, `key of ${JSON.stringify(full)} turns back into it`);
      }
    }
    assert.ok(plain > 1000, `the fast path was exercised (${plain} plain DNs)`);
  });

  it('relates DNs: parent, under, levels, and keys that put a subtree under one prefix', () => {
    assert.equal(parentDn('uid=a,ou=people,dc=x'), 'ou=people,dc=x');
    assert.equal(parentDn('dc=x'), '');
    assert.ok(isUnder('uid=a,ou=people,dc=x', 'dc=x'));
    assert.ok(!isUnder('uid=a,ou=people2,dc=x', 'ou=people,dc=x'));
    assert.equal(levelsBelow('uid=a,ou=people,dc=x', 'dc=x'), 2);
    assert.ok(dnKey('uid=a,ou=people,dc=x').startsWith(`${dnKey('ou=people,dc=x')},`));
    assert.ok(!dnKey('uid=a,ou=people2,dc=x').startsWith(`${dnKey('ou=people,dc=x')},`));
  });

  it('places an entry in the core\'s subtree or in the site subtree its DN names', () => {
    assert.deepEqual(placeOf('uid=alice,ou=People,dc=edge,dc=example', 'dc=edge,dc=example'), { subtree: 'dc=edge,dc=example', dataset: 'dir:dc=edge,dc=example', ownerHint: '' });
    assert.deepEqual(placeOf('cn=s,ou=devices,ou=Berlin,ou=sites,dc=edge,dc=example', 'dc=edge,dc=example'), {
      subtree: 'ou=berlin,ou=sites,dc=edge,dc=example', dataset: 'dir:ou=berlin,ou=sites,dc=edge,dc=example', ownerHint: 'berlin',
    });
    assert.equal(placeOf('ou=sites,dc=edge,dc=example', 'dc=edge,dc=example')?.ownerHint, '', 'the sites container is the core\'s');
    assert.equal(placeOf('dc=other', 'dc=edge,dc=example'), undefined);
  });
});
