import assert from 'node:assert/strict';
import { credentialFilter, credentialKey, entryMutations, isEntryKey, mergeEntry, passwordHeldAbove, splitEntry, withheld, type CredentialRule } from '../../../src/directory/security/credentials';
import { dnKey } from '../../../src/directory/data/dn';

const DN = 'uid=zoe,ou=people,dc=x';
const KEY = dnKey(DN);
const withPassword = { dn: DN, attrs: { objectClass: ['person'], cn: ['Zoe'], userPassword: ['{SSHA}aaa'] } };

describe('directory: credentials beside entries, and the replication policy', () => {
  it('stores the hashes in their own record and flags the entry; merging gives the entry back', () => {
    const { stored, hashes } = splitEntry(withPassword);
    assert.deepEqual(stored.attrs, { objectClass: ['person'], cn: ['Zoe'], _hasPassword: ['TRUE'] });
    assert.deepEqual(hashes, ['{SSHA}aaa']);
    assert.deepEqual(mergeEntry(stored, hashes).attrs['userPassword'], ['{SSHA}aaa']);
    assert.ok(passwordHeldAbove(stored), 'flag without hashes: held by a node above');
    assert.ok(!passwordHeldAbove(mergeEntry(stored, hashes)));
    assert.ok(isEntryKey(KEY) && !isEntryKey(credentialKey(KEY)) && !isEntryKey(';credentialPolicy'));
    assert.ok(isEntryKey(dnKey('cn=a\\;b,dc=x')), 'an escaped semicolon in a DN is part of the entry key');
  });

  it('writes hashes only when they change, so a node without them can modify the entry without erasing them', () => {
    const created = entryMutations(DN, withPassword, undefined);
    assert.deepEqual(created.map((m) => [m.op, m.key, m.expect]), [['put', KEY, { exists: false }], ['put', credentialKey(KEY), undefined]]);
    const atSite = splitEntry(withPassword).stored; // what a site that does not hold the hash reads
    const renamedCn = { dn: DN, attrs: { ...atSite.attrs, cn: ['Zoe Z'] } };
    const modified = entryMutations(DN, renamedCn, atSite);
    assert.equal(modified.length, 1, 'no credential write');
    assert.deepEqual(modified[0]!.expect, { exists: true, value: atSite });
    const newPassword = entryMutations(DN, { dn: DN, attrs: { ...atSite.attrs, userPassword: ['{SSHA}bbb'] } }, atSite);
    assert.deepEqual(newPassword[1], { op: 'put', key: credentialKey(KEY), value: ['{SSHA}bbb'] });
    const removed = entryMutations(DN, { dn: DN, attrs: { objectClass: ['person'], cn: ['Zoe'] } }, withPassword);
    assert.deepEqual(removed[1], { op: 'delete', key: credentialKey(KEY) });
    assert.deepEqual(entryMutations(DN, undefined, withPassword).map((m) => [m.op, m.key]), [['delete', KEY], ['delete', credentialKey(KEY)]]);
  });

  it('holds hashes back from tiers below a rule\'s lowest tier; the first matching rule decides', () => {
    const rules: CredentialRule[] = [{ group: 'cn=admins,ou=groups,dc=x', lowestTier: 'core' }, { subtree: 'ou=People,dc=x', lowestTier: 'regional' }];
    const isMember = (group: string, member: string): boolean => group === 'cn=admins,ou=groups,dc=x' && member === 'uid=root,ou=people,dc=x';
    assert.equal(withheld(rules, DN, 'regional', isMember), false);
    assert.equal(withheld(rules, DN, 'site', isMember), true);
    assert.equal(withheld(rules, 'uid=root,ou=people,dc=x', 'regional', isMember), true, 'the group rule comes first');
    assert.equal(withheld(rules, 'cn=dev,ou=berlin,ou=sites,dc=x', 'site', isMember), false, 'no rule: replicated everywhere');
  });

  it('turns held-back credential puts into deletes (seq unchanged) and leaves them out of snapshots', () => {
    const filter = credentialFilter({ rules: () => [{ subtree: 'ou=people,dc=x', lowestTier: 'regional' }], isMember: () => false }, 'site');
    const put = { dataset: 'dir:dc=x', epoch: 'e', seq: 7, op: 'put' as const, key: credentialKey(KEY), value: ['{SSHA}aaa'], timeMs: 1 };
    assert.deepEqual(filter.change(put), { dataset: 'dir:dc=x', epoch: 'e', seq: 7, op: 'delete', key: credentialKey(KEY), timeMs: 1 });
    const entry = { ...put, key: KEY, value: splitEntry(withPassword).stored };
    assert.equal(filter.change(entry), entry, 'entries pass unchanged');
    assert.equal(filter.entry({ key: credentialKey(KEY), value: ['x'] }), undefined);
    const regional = credentialFilter({ rules: () => [{ subtree: 'ou=people,dc=x', lowestTier: 'regional' }], isMember: () => false }, 'regional');
    assert.equal(regional.change(put), put);
  });
});
