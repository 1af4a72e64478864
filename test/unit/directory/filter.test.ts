import assert from 'node:assert/strict';
import { matches, type Filter } from '../../../src/directory/data/filter';

const entry: Record<string, string[]> = {
  objectclass: ['top', 'inetOrgPerson'],
  cn: ['Alice Example'],
  uid: ['alice'],
  uidnumber: ['1001'],
  member: ['uid=Bob, ou=People,dc=x'],
};
const view = (attr: string): string[] => entry[attr.toLowerCase()] ?? [];
const eq = (attr: string, value: string): Filter => ({ kind: 'equal', attr, value });

describe('directory: filters', () => {
  it('matches equality case-insensitively and DN-valued attributes as DNs', () => {
    assert.ok(matches(eq('UID', 'ALICE'), view));
    assert.ok(matches(eq('member', 'uid=bob,ou=people,dc=x'), view));
    assert.ok(!matches(eq('uid', 'bob'), view));
  });

  it('evaluates and/or/not, presence, substrings, ordering (numbers as numbers) and extensible', () => {
    assert.ok(matches({ kind: 'and', filters: [eq('uid', 'alice'), { kind: 'present', attr: 'cn' }] }, view));
    assert.ok(matches({ kind: 'or', filters: [eq('uid', 'x'), { kind: 'not', filter: eq('uid', 'y') }] }, view));
    assert.ok(!matches({ kind: 'present', attr: 'mail' }, view));
    assert.ok(matches({ kind: 'present', attr: 'objectClass' }, () => []), 'every entry has an objectClass');
    assert.ok(matches({ kind: 'substrings', attr: 'cn', initial: 'ali', any: ['EX'], final: 'ple' }, view));
    assert.ok(!matches({ kind: 'substrings', attr: 'cn', initial: 'ex', any: [] }, view));
    assert.ok(matches({ kind: 'ge', attr: 'uidNumber', value: '999' }, view), '1001 >= 999 as numbers, not strings');
    assert.ok(!matches({ kind: 'le', attr: 'uidNumber', value: '999' }, view));
    assert.ok(matches({ kind: 'extensible', attr: 'uid', value: 'Alice', dnAttributes: false }, view));
    assert.ok(!matches({ kind: 'extensible', value: 'alice', dnAttributes: false }, view));
  });
});
