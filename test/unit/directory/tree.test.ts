import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../../src/kernel/clock';
import { Store, type DatasetReads } from '../../../src/store';
import { dnKey, normalizeDn } from '../../../src/directory/data/dn';
import { valuesOf, type DirEntry } from '../../../src/directory/data/entry';
import { credentialKey, entryMutations } from '../../../src/directory/security/credentials';
import { sshaHash, verifyPassword } from '../../../src/directory/security/password';
import { matches, type Filter } from '../../../src/directory/data/filter';
import { directoryIndexer } from '../../../src/directory/data/indexes';
import { DirectoryTree, type Scope } from '../../../src/directory/data/tree';

const BASE = 'dc=edge,dc=example';
const DATASET = `dir:${BASE}`;

/** Hears every record read and index lookup asked of the store, by dataset (all of them go through Store.reading). */
function spyReads(store: Store, heard: { records?: (dataset: string, keys: readonly string[]) => void; lookup?: (dataset: string) => void }): void {
  const reading = store.reading.bind(store);
  store.reading = (<T>(name: string, fn: (r: DatasetReads) => T): T => reading(name, (r) => fn({
    ...r,
    get: (key) => (heard.records?.(name, [key]), r.get(key)),
    getMany: (keys) => (heard.records?.(name, keys), r.getMany(keys)),
    lookup: (query) => (heard.lookup?.(name), r.lookup(query)),
  }))) as Store['reading'];
}

const person = (uid: string, extra: Record<string, string[]> = {}): DirEntry => ({ dn: `uid=${uid},ou=people,${BASE}`, attrs: { objectClass: ['inetOrgPerson'], uid: [uid], cn: [`Person ${uid}`], ...extra } });

describe('directory: the tree over indexed datasets', () => {
  let dir: string;
  let store: Store;
  let tree: DirectoryTree;

  const put = (...entries: DirEntry[]) => store.write(DATASET, entries.map((e) => ({ op: 'put' as const, key: dnKey(normalizeDn(e.dn)), value: e })));
  /** The tree's candidates matched against the filter, as search.ts does. */
  const dns = (base: string, scope: Scope, filter?: Filter, after?: string, unindexed?: (subtree: string) => void) => tree.search(base, scope, { filter, after, unindexed })
    .filter((f) => !filter || matches(filter, (a) => (a.toLowerCase() === 'memberof' ? tree.memberOf(f.entry.dn) : f.entry.attrs[Object.keys(f.entry.attrs).find((k) => k.toLowerCase() === a.toLowerCase()) ?? ''] ?? [])))
    .map((f) => f.entry.dn);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-tree-'));
    store = await Store.open({ dir, nodeName: 'core', clock: new FakeClock(), indexer: directoryIndexer(['employeeType']) });
    await store.createDataset(DATASET);
    tree = new DirectoryTree(store, () => BASE, ['employeeType']);
    await put(
      { dn: BASE, attrs: { objectClass: ['domain'], dc: ['edge'] } },
      { dn: `ou=people,${BASE}`, attrs: { objectClass: ['organizationalUnit'], ou: ['people'] } },
      person('alice', { mail: ['Alice@Edge.example'], employeeType: ['staff'] }),
      person('bob', { employeeType: ['contractor'] }),
      person('carol'),
      { dn: `cn=staff,${BASE}`, attrs: { objectClass: ['groupOfNames'], cn: ['staff'], member: [`UID=alice, ou=People,${BASE}`] } },
    );
  });
  afterEach(async () => {
    tree.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scopes: sub includes the base, children leaves it out, one is the next level only', () => {
    assert.deepEqual(dns(`ou=people,${BASE}`, 'sub'), [`ou=people,${BASE}`, `uid=alice,ou=people,${BASE}`, `uid=bob,ou=people,${BASE}`, `uid=carol,ou=people,${BASE}`]);
    assert.deepEqual(dns(`ou=people,${BASE}`, 'children'), [`uid=alice,ou=people,${BASE}`, `uid=bob,ou=people,${BASE}`, `uid=carol,ou=people,${BASE}`]);
    assert.deepEqual(dns(BASE, 'one'), [`cn=staff,${BASE}`, `ou=people,${BASE}`]);
    assert.deepEqual(dns(`uid=bob,ou=people,${BASE}`, 'sub'), [`uid=bob,ou=people,${BASE}`]);
    const [first] = tree.search(`ou=people,${BASE}`, 'children');
    assert.deepEqual(dns(`ou=people,${BASE}`, 'children', undefined, first!.key), [`uid=bob,ou=people,${BASE}`, `uid=carol,ou=people,${BASE}`], 'resumes after a key');
  });

  it('answers indexed filters from the index and says when it had to scan; both give what a scan gives', () => {
    const scanned: string[] = [];
    const search = (filter: Filter) => dns(BASE, 'sub', filter, undefined, (s) => scanned.push(s));
    assert.deepEqual(search({ kind: 'equal', attr: 'UID', value: 'Bob' }), [`uid=bob,ou=people,${BASE}`]);
    assert.deepEqual(search({ kind: 'equal', attr: 'mail', value: 'alice@edge.EXAMPLE' }), [`uid=alice,ou=people,${BASE}`]);
    assert.deepEqual(search({ kind: 'equal', attr: 'employeeType', value: 'staff' }), [`uid=alice,ou=people,${BASE}`], 'directory.indexes adds attributes');
    assert.deepEqual(search({ kind: 'substrings', attr: 'cn', initial: 'person b', any: [] }), [`uid=bob,ou=people,${BASE}`]);
    assert.deepEqual(search({ kind: 'present', attr: 'mail' }), [`uid=alice,ou=people,${BASE}`]);
    assert.deepEqual(search({ kind: 'or', filters: [{ kind: 'equal', attr: 'uid', value: 'alice' }, { kind: 'equal', attr: 'uid', value: 'carol' }] }), [`uid=alice,ou=people,${BASE}`, `uid=carol,ou=people,${BASE}`]);
    assert.deepEqual(search({ kind: 'and', filters: [{ kind: 'equal', attr: 'objectClass', value: 'inetorgperson' }, { kind: 'equal', attr: 'memberOf', value: `cn=STAFF,${BASE}` }] }), [`uid=alice,ou=people,${BASE}`]);
    assert.equal(scanned.length, 0, 'every filter above is served by an index');
    assert.equal(tree.search(BASE, 'sub', { filter: { kind: 'equal', attr: 'sn', value: 'x' }, unindexed: (s) => scanned.push(s) }).length, 6, 'sn is not indexed: every entry is a candidate');
    assert.deepEqual(scanned, [normalizeDn(BASE)]);
  });

  it('answers a bind\'s credentialsOf() from memory after the first read, and a new password at once', async () => {
    const alice = normalizeDn(`uid=alice,ou=people,${BASE}`);
    await store.write(DATASET, entryMutations(alice, person('alice', { userPassword: [sshaHash('one')] }), tree.getStored(alice)));
    let reads = 0;
    spyReads(store, { records: () => reads++ });
    const hashOf = () => tree.credentialsOf(`uid=Alice,ou=people,${BASE}`)!.hashes[0]!;
    const first = hashOf();
    assert.equal(tree.credentialsOf(`uid=alice,ou=people,${BASE}`)!.dn, `uid=alice,ou=people,${BASE}`, 'the DN as the entry spells it');
    assert.equal(await verifyPassword('one', first), true);
    for (let i = 0; i < 5; i++) assert.equal(hashOf(), first);
    assert.equal(reads, 1, 'one store read for six binds of the same entry');
    await store.write(DATASET, entryMutations(alice, person('alice', { userPassword: [sshaHash('two')] }), tree.getStored(alice)));
    assert.equal(await verifyPassword('two', hashOf()), true, 'the new hash, not the one cached');
    assert.equal(await verifyPassword('one', hashOf()), false);
    assert.equal(tree.credentialsOf(`uid=nobody,ou=people,${BASE}`), undefined);
    assert.equal(valuesOf(tree.get(alice)!, 'userPassword')[0], hashOf(), 'get() merges the same hashes');
  });

  it('drops from its caches only the entries a change touched: other users\' binds stay in memory', async () => {
    const [alice, bob] = ['alice', 'bob'].map((uid) => normalizeDn(`uid=${uid},ou=people,${BASE}`)) as [string, string];
    await store.write(DATASET, entryMutations(alice, person('alice', { userPassword: [sshaHash('a1')] }), tree.getStored(alice)));
    await store.write(DATASET, entryMutations(bob, person('bob', { userPassword: [sshaHash('b1')] }), tree.getStored(bob)));
    const reads: string[][] = [];
    spyReads(store, { records: (_, keys) => reads.push([...keys]) });
    const hashOf = (dn: string) => tree.credentialsOf(dn)!.hashes[0]!;
    hashOf(alice);
    hashOf(bob);
    // The first change after the caches were filled cannot be placed in the log: everything is read again once.
    await store.write(DATASET, entryMutations(bob, person('bob', { userPassword: [sshaHash('b2')] }), tree.getStored(bob)));
    assert.equal(await verifyPassword('b2', hashOf(bob)), true);
    hashOf(alice);
    reads.length = 0;
    // From then on, a change drops only what it touched: bob's new password, alice still in memory.
    await store.write(DATASET, entryMutations(bob, person('bob', { userPassword: [sshaHash('b3')] }), tree.getStored(bob)));
    assert.equal(await verifyPassword('b3', hashOf(bob)), true, 'the new hash, not the one cached');
    assert.equal(await verifyPassword('a1', hashOf(alice)), true);
    assert.ok(reads.length > 0 && reads.every((keys) => keys[0] === dnKey(bob)), `reads for bob only: ${JSON.stringify(reads)}`);
    // An entry removed is not answered from memory.
    await store.write(DATASET, [{ op: 'delete', key: dnKey(alice) }, { op: 'delete', key: credentialKey(dnKey(alice)) }]);
    assert.equal(tree.credentialsOf(alice), undefined);
  });

  it('merges the hashes into entries searched with secrets, from what binds keep when they have it', async () => {
    const [alice, bob] = ['alice', 'bob'].map((uid) => normalizeDn(`uid=${uid},ou=people,${BASE}`)) as [string, string];
    await store.write(DATASET, entryMutations(alice, person('alice', { userPassword: [sshaHash('a1')] }), tree.getStored(alice)));
    await store.write(DATASET, entryMutations(bob, person('bob', { userPassword: [sshaHash('b1')] }), tree.getStored(bob)));
    const hashes = (): Record<string, string[]> => Object.fromEntries(tree.search(`ou=people,${BASE}`, 'one', { secrets: true }).map((f) => [f.entry.dn, valuesOf(f.entry, 'userPassword')]));
    const reads: string[] = [];
    spyReads(store, { records: (_, keys) => reads.push(...keys) });
    const first = hashes();
    assert.equal(await verifyPassword('a1', first[`uid=alice,ou=people,${BASE}`]![0]!), true);
    assert.equal(await verifyPassword('b1', first[`uid=bob,ou=people,${BASE}`]![0]!), true);
    assert.deepEqual(first[`uid=carol,ou=people,${BASE}`], [], 'no password, no hash');
    tree.credentialsOf(alice); // a bind keeps alice's hashes
    reads.length = 0;
    assert.deepEqual(hashes(), first, 'the same hashes');
    assert.ok(reads.includes(credentialKey(dnKey(bob))) && !reads.includes(credentialKey(dnKey(alice))), `bob's hashes read, alice's from memory: ${JSON.stringify(reads)}`);
    await store.write(DATASET, entryMutations(alice, person('alice', { userPassword: [sshaHash('a2')] }), tree.getStored(alice)));
    assert.equal(await verifyPassword('a2', hashes()[`uid=alice,ou=people,${BASE}`]![0]!), true, 'a new password at once');
  });

  it('keeps an entry searched for alone from its second read on, and entries read together at once', async () => {
    await put(person('dave')); // the first change after start drops everything (no seq to be in step with yet)
    const reads: string[] = [];
    spyReads(store, { records: (_, keys) => reads.push(...keys) });
    const alice = dnKey(normalizeDn(`uid=alice,ou=people,${BASE}`));
    const uid = (value: string): Filter => ({ kind: 'equal', attr: 'uid', value });
    for (let i = 0; i < 3; i++) assert.deepEqual(dns(BASE, 'sub', uid('alice')), [`uid=alice,ou=people,${BASE}`]);
    assert.deepEqual(reads, [alice, alice], 'read twice (a user searched for once at random is not kept), then from memory');
    reads.length = 0;
    const everyone = (): string[] => dns(`ou=people,${BASE}`, 'one', { kind: 'equal', attr: 'objectClass', value: 'inetOrgPerson' });
    assert.equal(everyone().length, 4);
    assert.equal(reads.length, 3, 'bob, carol and dave read together (alice is in memory)');
    assert.equal(everyone().length, 4);
    assert.equal(reads.length, 3, 'and kept at once');
  });

  it('keeps the index lookups a change does not touch, and finds at once an entry that gains a looked-up term', async () => {
    await put(person('dave')); // the first change after start drops everything (no seq to be in step with yet)
    let lookups = 0;
    spyReads(store, { lookup: () => lookups++ });
    const uid = (value: string): Filter => ({ kind: 'equal', attr: 'uid', value });
    assert.deepEqual(dns(BASE, 'sub', uid('alice')), [`uid=alice,ou=people,${BASE}`]);
    assert.deepEqual(dns(BASE, 'sub', uid('newbie')), []);
    assert.equal(lookups, 2);
    await put(person('erin', { uid: ['newbie'] }));
    assert.deepEqual(dns(BASE, 'sub', uid('newbie')), [`uid=erin,ou=people,${BASE}`], 'the lookup of a term an entry gained is read again');
    assert.deepEqual(dns(BASE, 'sub', uid('alice')), [`uid=alice,ou=people,${BASE}`]);
    assert.equal(lookups, 3, 'alice\'s lookup kept across the change');
    // An entry that loses a term stays a candidate there, and the match leaves it out.
    await put(person('erin', { uid: ['veteran'] }));
    assert.deepEqual(dns(BASE, 'sub', uid('newbie')), []);
    assert.deepEqual(dns(BASE, 'sub', uid('veteran')), [`uid=erin,ou=people,${BASE}`]);
  });

  it('keeps memberOf in step with group changes, and the index with entry changes', async () => {
    assert.deepEqual(tree.memberOf(`uid=alice,ou=people,${BASE}`), [`cn=staff,${BASE}`]);
    assert.deepEqual(tree.memberOf(`uid=bob,ou=people,${BASE}`), []);
    await put({ dn: `cn=staff,${BASE}`, attrs: { objectClass: ['groupOfNames'], cn: ['staff'], member: [`uid=bob,ou=people,${BASE}`] } });
    assert.deepEqual(tree.memberOf(`uid=alice,ou=people,${BASE}`), []);
    assert.deepEqual(tree.memberOf(`uid=bob,ou=people,${BASE}`), [`cn=staff,${BASE}`]);
    assert.deepEqual(tree.search(BASE, 'sub', { filter: { kind: 'equal', attr: 'memberOf', value: `cn=staff,${BASE}` } }).map((f) => f.entry.dn), [`uid=bob,ou=people,${BASE}`], 'the candidates are the members');
    // (memberOf=G) tested entry by entry: from G's members, in step with G.
    const staff = normalizeDn(`cn=staff,${BASE}`);
    const [aliceKey, bobKey] = ['alice', 'bob'].map((uid) => dnKey(normalizeDn(`uid=${uid},ou=people,${BASE}`))) as [string, string];
    assert.deepEqual([tree.isMember(aliceKey, staff), tree.isMember(bobKey, staff), tree.isMember(bobKey, normalizeDn(`cn=nobody,${BASE}`))], [false, true, false]);
    await put({ dn: `cn=staff,${BASE}`, attrs: { objectClass: ['groupOfNames'], cn: ['staff'], member: [`uid=alice,ou=people,${BASE}`] } });
    assert.deepEqual([tree.isMember(aliceKey, staff), tree.isMember(bobKey, staff)], [true, false], 'after the group changed');
    await put({ dn: `cn=staff,${BASE}`, attrs: { objectClass: ['groupOfNames'], cn: ['staff'], member: [`uid=bob,ou=people,${BASE}`] } });
    await put(person('bob', { uid: ['robert'] }));
    assert.deepEqual(tree.search(BASE, 'sub', { filter: { kind: 'equal', attr: 'uid', value: 'bob' } }), []);
    assert.equal(tree.search(BASE, 'sub', { filter: { kind: 'equal', attr: 'uid', value: 'robert' } }).length, 1);
  });

  it('reads a group\'s members only from the subtree each can be in, and finds those of every subtree', async () => {
    const site = `ou=berlin,ou=sites,${BASE}`;
    await store.createDataset(`dir:${site}`);
    await store.write(`dir:${site}`, [{ op: 'put', key: dnKey(site), value: { dn: site, attrs: { objectClass: ['organizationalUnit'], ou: ['berlin'] } } }, { op: 'put', key: dnKey(`uid=kiosk,${site}`), value: { ...person('kiosk'), dn: `uid=kiosk,${site}` } }]);
    const members = [`uid=alice,ou=people,${BASE}`, `uid=kiosk,${site}`, `uid=gone,ou=people,${BASE}`, 'uid=outside,dc=other,dc=example', `cn=x,ou=sites,${BASE}`];
    await put({ dn: `cn=all,${BASE}`, attrs: { objectClass: ['groupOfNames'], cn: ['all'], member: members } });
    const asked = new Map<string, string[]>();
    spyReads(store, { records: (name, keys) => asked.set(name, [...(asked.get(name) ?? []), ...keys]) });
    const found = tree.search(BASE, 'sub', { filter: { kind: 'equal', attr: 'memberOf', value: `cn=all,${BASE}` } });
    assert.deepEqual(found.map((f) => f.entry.dn).sort(), [`uid=alice,ou=people,${BASE}`, `uid=kiosk,${site}`].sort());
    const key = (dn: string): string => dnKey(normalizeDn(dn));
    assert.deepEqual((asked.get(`dir:${site}`) ?? []).filter((k) => k !== key(`cn=all,${BASE}`)), [key(`uid=kiosk,${site}`)], 'the site subtree is asked for its own member only');
    assert.ok(!(asked.get(DATASET) ?? []).includes(key(`uid=kiosk,${site}`)), 'the base subtree is not asked for the site\'s member');
    assert.ok(![...asked.values()].flat().includes(key('uid=outside,dc=other,dc=example')), 'a member outside the base is asked of no subtree');
  });
  it('reads no change log for a change while it keeps nothing of the subtree, and drops what it keeps once it does', async () => {
    const since = store.since.bind(store);
    let reads = 0;
    store.since = (...args: Parameters<Store['since']>) => {
      reads++;
      return since(...args);
    };
    for (let i = 0; i < 5; i++) await put(person(`imported${i}`));
    assert.equal(reads, 0, 'an import into a subtree nothing was read from: no log read per change');
    assert.equal(tree.get(`uid=imported1,ou=people,${BASE}`)?.attrs.cn?.[0], 'Person imported1');
    await put(person('imported1', { cn: ['Renamed'] }));
    assert.ok(reads > 0, 'with an entry kept, the change log says what to drop');
    assert.equal(tree.get(`uid=imported1,ou=people,${BASE}`)?.attrs.cn?.[0], 'Renamed', 'the changed entry is read again');
  });
});
