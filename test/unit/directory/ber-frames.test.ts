import assert from 'node:assert/strict';
import ldap from 'ldapjs';
import { addRequestSpelling, BerFramer, bindRequestOf, bindResponse, noticeOfDisconnection, searchResultEntry, searchScopeOf } from '../../../src/directory/protocol/ber-frames';
import { InvalidArgumentError } from '../../../src/kernel/errors';

describe('directory: BER framing before ldapjs', () => {
  // An unbind request: SEQUENCE { messageID 1, [APPLICATION 2] NULL }
  const unbind = Buffer.from([0x30, 0x05, 0x02, 0x01, 0x01, 0x42, 0x00]);

  it('yields whole messages however the stream is cut, including long-form lengths', () => {
    const framer = new BerFramer();
    const stream = Buffer.concat([unbind, unbind]);
    const out: Buffer[] = [];
    for (const byte of stream) out.push(...framer.push(Buffer.from([byte])));
    assert.deepEqual(out, [unbind, unbind]);
    const long = Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00]), Buffer.alloc(256)]);
    assert.deepEqual(new BerFramer().push(long), [long]);
  });

  it('recognises a SASL bind (which ldapjs cannot parse) and writes the BindResponse that refuses it', () => {
    const mechanism = Buffer.from('PLAIN');
    const sasl = Buffer.concat([Buffer.from([0xa3, mechanism.length + 2, 0x04, mechanism.length]), mechanism]);
    const bindOp = Buffer.concat([Buffer.from([0x02, 0x01, 0x03, 0x04, 0x00]), sasl]);
    const message = Buffer.concat([Buffer.from([0x30, bindOp.length + 5, 0x02, 0x01, 0x07, 0x60, bindOp.length]), bindOp]);
    assert.deepEqual(bindRequestOf(message), { messageId: 7, sasl: true });
    const simple = Buffer.from([0x30, 0x0c, 0x02, 0x01, 0x01, 0x60, 0x07, 0x02, 0x01, 0x03, 0x04, 0x00, 0x80, 0x00]);
    assert.deepEqual(bindRequestOf(simple), { messageId: 1, sasl: false });
    assert.equal(bindRequestOf(unbind), undefined);
    const reply = bindResponse(300, 7, 'no SASL');
    assert.deepEqual([...reply.subarray(0, 13)], [0x30, 0x14, 0x02, 0x02, 0x01, 0x2c, 0x61, 0x0e, 0x0a, 0x01, 0x07, 0x04, 0x00]);
    assert.equal(reply.subarray(15).toString(), 'no SASL');
  });

  it('encodes search result entries that ldapjs itself decodes, long-form lengths and all', () => {
    const members = Array.from({ length: 3000 }, (_, i) => `uid=user${i},ou=people,dc=edge,dc=example`);
    const bytes = searchResultEntry(70000, 'cn=Big Group,ou=groups,dc=edge,dc=example', { cn: ['Big Group', 'Grüße'], member: members });
    assert.equal(new BerFramer(8 * 1024 * 1024).push(bytes)[0]!.length, bytes.length, 'one whole message');
    const messages: Array<{ pojo: { messageId: number; objectName: string; attributes: Array<{ type: string; values: string[] }> } }> = [];
    const parser = new ldap.Parser();
    parser.on('message', (m: (typeof messages)[number]) => messages.push(m));
    parser.write(bytes);
    const parsed = messages[0]!.pojo;
    assert.equal(parsed.messageId, 70000);
    assert.equal(parsed.objectName, 'cn=Big Group,ou=groups,dc=edge,dc=example');
    assert.deepEqual(parsed.attributes, [{ type: 'cn', values: ['Big Group', 'Grüße'] }, { type: 'member', values: members }]);
  });

  it('reads a search\'s scope and an add\'s attribute spelling from the raw request', () => {
    // SearchRequest, message 9, base "", scope children (3)
    const search = Buffer.from('301e020109631904000a01030a0100020100020100010100870b6f626a656374436c6173733000', 'hex');
    assert.deepEqual(searchScopeOf(search), { messageId: 9, scope: 3, at: 11 });
    assert.equal(searchScopeOf(unbind), undefined);
    // AddRequest, message 4: cn=x with objectClass: inetOrgPerson, uidNumber: 7
    const attr = (type: string, ...values: string[]) => Buffer.concat([Buffer.from([0x30, 2 + type.length + 2 + values.reduce((n, v) => n + 2 + v.length, 0), 0x04, type.length]), Buffer.from(type), Buffer.from([0x31, values.reduce((n, v) => n + 2 + v.length, 0)]), ...values.map((v) => Buffer.concat([Buffer.from([0x04, v.length]), Buffer.from(v)]))]);
    const list = Buffer.concat([attr('objectClass', 'inetOrgPerson'), attr('uidNumber', '7')]);
    const op = Buffer.concat([Buffer.from([0x04, 4]), Buffer.from('cn=x'), Buffer.from([0x30, list.length]), list]);
    const add = Buffer.concat([Buffer.from([0x30, op.length + 5, 0x02, 0x01, 0x04, 0x68, op.length]), op]);
    assert.deepEqual(addRequestSpelling(add), { messageId: 4, attributes: [{ type: 'objectClass', objectClasses: ['inetOrgPerson'] }, { type: 'uidNumber', objectClasses: [] }] });
  });

  it('writes a Notice of Disconnection (RFC 4511 §4.4.1): message ID 0, ExtendedResponse, the notice OID', () => {
    const notice = noticeOfDisconnection(2, 'bad');
    assert.deepEqual([...notice.subarray(0, 7)], [0x30, notice.length - 2, 0x02, 0x01, 0x00, 0x78, notice.length - 7]);
    assert.deepEqual([...notice.subarray(7, 10)], [0x0a, 0x01, 0x02]);
    const oid = Buffer.from('1.3.6.1.4.1.1466.20036', 'latin1');
    assert.deepEqual(notice.subarray(notice.length - oid.length - 5), Buffer.concat([Buffer.from('bad'), Buffer.from([0x8a, oid.length]), oid]));
  });

  it('refuses what is not LDAP framing: another tag, indefinite or over-long lengths, oversized messages', () => {
    assert.throws(() => new BerFramer().push(Buffer.from('GET / HTTP/1.1\r\n')), InvalidArgumentError);
    assert.throws(() => new BerFramer().push(Buffer.from([0x30, 0x80])), /indefinite/);
    assert.throws(() => new BerFramer().push(Buffer.from([0x30, 0x85, 1, 1, 1, 1, 1])), /too long/);
    assert.throws(() => new BerFramer(1000).push(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])), /exceeds/);
  });
});
