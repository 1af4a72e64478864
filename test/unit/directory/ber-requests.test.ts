import assert from 'node:assert/strict';
import ldap from 'ldapjs';
import { BIND_RESPONSE, fastRequestOf, ldapResult, SEARCH_DONE } from '../../../src/directory/protocol/ber-requests';

// ldapjs ships no types: the message classes this test encodes with (a third-party encoder, as clients send).
const lj = ldap as unknown as {
  SearchRequest: new (o: Record<string, unknown>) => { toBer(): { buffer: Buffer } };
  BindRequest: new (o: Record<string, unknown>) => { toBer(): { buffer: Buffer } };
  AddRequest: new (o: Record<string, unknown>) => { toBer(): { buffer: Buffer } };
  PagedResultsControl: new (o: Record<string, unknown>) => unknown;
  parseFilter(text: string): unknown;
  Parser: new () => { on(e: string, f: (m: { pojo: Record<string, unknown>; messageId: number; type: string }) => void): void; write(b: Buffer): void };
};

const encodeSearch = (options: Record<string, unknown>): Buffer => new lj.SearchRequest({ messageId: 5, baseObject: 'ou=people,dc=edge,dc=example', scope: 'sub', attributes: [], ...options }).toBer().buffer;

describe('directory: binds and searches decoded without ldapjs', () => {
  it('decodes a simple bind as ldapjs encodes it', () => {
    const bytes = new lj.BindRequest({ messageId: 300, name: 'uid=alice,ou=people,dc=edge,dc=example', credentials: 'grüße' }).toBer().buffer;
    assert.deepEqual(fastRequestOf(bytes), { kind: 'bind', messageId: 300, dn: 'uid=alice,ou=people,dc=edge,dc=example', password: 'grüße' });
  });

  it('decodes a search with every filter kind it serves, the limits and the attributes', () => {
    const filter = lj.parseFilter('(&(uid=a)(|(cn=b*c*d)(!(mail=*)))(uidNumber>=3)(gidNumber<=4)(sn~=q)(cn=*x))');
    const decoded = fastRequestOf(encodeSearch({ filter, attributes: ['uid', 'cn'], sizeLimit: 300, timeLimit: 7, typesOnly: true }));
    assert.deepEqual(decoded, {
      kind: 'search', messageId: 5, base: 'ou=people,dc=edge,dc=example', scope: 'sub', sizeLimit: 300, timeLimitS: 7, typesOnly: true, attributes: ['uid', 'cn'],
      filter: {
        kind: 'and', filters: [
          { kind: 'equal', attr: 'uid', value: 'a' },
          { kind: 'or', filters: [{ kind: 'substrings', attr: 'cn', initial: 'b', any: ['c'], final: 'd' }, { kind: 'not', filter: { kind: 'present', attr: 'mail' } }] },
          { kind: 'ge', attr: 'uidNumber', value: '3' },
          { kind: 'le', attr: 'gidNumber', value: '4' },
          { kind: 'approx', attr: 'sn', value: 'q' },
          { kind: 'substrings', attr: 'cn', any: [], final: 'x' },
        ],
      },
    });
    for (const [scope, name] of [['base', 'base'], ['one', 'one']] as const) {
      assert.equal((fastRequestOf(encodeSearch({ scope, filter: lj.parseFilter('(objectClass=*)') })) as { scope: string }).scope, name);
    }
  });

  it('leaves to ldapjs what it does not serve: controls, extensible filters, other operations, other bind versions', () => {
    const paged = new lj.SearchRequest({ messageId: 5, baseObject: 'dc=x', scope: 'sub', filter: lj.parseFilter('(uid=a)'), controls: [new lj.PagedResultsControl({ value: { size: 10 } })] }).toBer().buffer;
    assert.equal(fastRequestOf(paged), undefined);
    assert.equal(fastRequestOf(encodeSearch({ filter: lj.parseFilter('(cn:caseExactMatch:=x)') })), undefined);
    assert.equal(fastRequestOf(new lj.AddRequest({ messageId: 2, entry: 'cn=x,dc=x', attributes: [] }).toBer().buffer), undefined);
    assert.equal(fastRequestOf(new lj.BindRequest({ messageId: 1, name: 'cn=x', credentials: 'p', version: 2 }).toBer().buffer), undefined);
    // A SASL bind: [3] instead of [0] simple.
    assert.equal(fastRequestOf(Buffer.from('3011020101600c020103040000a30504035f5f5f', 'hex').subarray(0, 19)), undefined);
    // Truncated or inconsistent bytes never throw.
    const bind = new lj.BindRequest({ messageId: 1, name: 'cn=x', credentials: 'p' }).toBer().buffer;
    for (let cut = 0; cut < bind.length; cut++) assert.equal(fastRequestOf(bind.subarray(0, cut)), undefined);
  });

  it('encodes results that ldapjs decodes: code, matched DN, message, referrals, message IDs of every size', () => {
    const seen: Array<Record<string, unknown>> = [];
    const parser = new lj.Parser();
    parser.on('message', (m) => seen.push({ ...m.pojo, messageId: m.messageId, type: m.type }));
    parser.write(ldapResult(7, BIND_RESPONSE, { code: 49, message: 'invalid credentials' }));
    parser.write(ldapResult(70_000, SEARCH_DONE, { code: 10, message: 'elsewhere', matchedDn: 'dc=edge,dc=example', referrals: ['ldap://127.0.0.1:1389/ou=paris,dc=edge,dc=example'] }));
    parser.write(ldapResult(2 ** 31 - 1, SEARCH_DONE, { code: 0 }));
    // Plain successes take a shorter road: message IDs where the INTEGER needs a leading zero, and none.
    for (const id of [0, 1, 127, 128, 255, 256, 32_768]) parser.write(ldapResult(id, BIND_RESPONSE, { code: 0 }));
    assert.deepEqual(seen.map((m) => [m['messageId'], m['type'], m['status'], m['matchedDN'], m['diagnosticMessage'], m['referrals']]), [
      [7, 'BindResponse', 49, '', 'invalid credentials', []],
      [70_000, 'SearchResultDone', 10, 'dc=edge,dc=example', 'elsewhere', ['ldap://127.0.0.1:1389/ou=paris,dc=edge,dc=example']],
      [2 ** 31 - 1, 'SearchResultDone', 0, '', '', []],
      ...[0, 1, 127, 128, 255, 256, 32_768].map((id) => [id, 'BindResponse', 0, '', '', []]),
    ]);
    assert.deepEqual(ldapResult(128, BIND_RESPONSE, { code: 0 }), Buffer.from([0x30, 0x0d, 0x02, 0x02, 0x00, 0x80, 0x61, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]));
  });
});
