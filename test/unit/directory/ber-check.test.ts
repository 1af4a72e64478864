import assert from 'node:assert/strict';
import ldap from 'ldapjs';
import { checkLdapMessage } from '../../../src/directory/protocol/ber-check';
import { InvalidArgumentError } from '../../../src/kernel/errors';

// ldapjs (no types) as the independent encoder of valid requests.
const l = ldap as unknown as Record<string, new (options: Record<string, unknown>) => { toBer(): { buffer: Buffer } }> & { parseFilter(text: string): unknown };
const encode = (type: string, options: Record<string, unknown>): Buffer => new l[type]!(options).toBer().buffer;

describe('directory: BER structure check before ldapjs', () => {
  it('passes every request kind ldapjs itself encodes, with controls and extended values', () => {
    const paged = new l['PagedResultsControl']!({ value: { size: 5, cookie: Buffer.alloc(0) } });
    const messages = [
      encode('BindRequest', { messageId: 1, name: 'uid=alice,ou=people,dc=edge,dc=example', credentials: 'secret' }),
      encode('SearchRequest', { messageId: 2, baseObject: 'dc=edge,dc=example', filter: l.parseFilter('(&(uid=a*)(!(cn=b))(|(mail=*)(memberOf=cn=x)))'), attributes: ['cn', 'mail'], controls: [paged] }),
      encode('ModifyRequest', { messageId: 3, object: 'uid=bob,ou=people,dc=edge,dc=example', changes: [new (ldap as unknown as { Change: new (o: unknown) => unknown }).Change({ operation: 'replace', modification: { type: 'cn', values: ['Bob'] } })] }),
      encode('AddRequest', { messageId: 4, entry: 'cn=x,dc=edge,dc=example', attributes: [new (ldap as unknown as { Attribute: new (o: unknown) => unknown }).Attribute({ type: 'cn', values: ['x'] })] }),
      encode('DeleteRequest', { messageId: 5, entry: 'cn=x,dc=edge,dc=example' }),
      encode('ExtendedRequest', { messageId: 6, requestName: '1.3.6.1.4.1.4203.1.11.1', requestValue: { userIdentity: 'uid=bob', oldPassword: 'a', newPassword: 'b' } }),
      encode('ExtendedRequest', { messageId: 7, requestName: '1.3.6.1.4.1.4203.1.11.3' }),
      encode('UnbindRequest', { messageId: 8 }),
    ];
    for (const message of messages) assert.doesNotThrow(() => checkLdapMessage(message), message.toString('hex'));
  });

  it('refuses the 63-byte ModifyRequest whose value claims 65 bytes inside a 3-byte SET (it used to kill the node)', () => {
    const attack = Buffer.from('303d020107663804247569643d626f622c6f753d70656f706c652c64633d656467652c64633d6578616d706c653010300e0a010230090402636e3103044178', 'hex');
    assert.throws(() => checkLdapMessage(attack), (err: Error) => err instanceof InvalidArgumentError && /claims 65 bytes but only 1 remain/.test(err.message));
  });

  it('refuses children that do not cover their parent, deep nesting, multi-byte tags and trailing bytes', () => {
    // SEQUENCE { INTEGER 1, [APPLICATION 2] NULL } with one spare byte inside the SEQUENCE
    assert.throws(() => checkLdapMessage(Buffer.from([0x30, 0x06, 0x02, 0x01, 0x01, 0x42, 0x00, 0x05])), InvalidArgumentError);
    assert.throws(() => checkLdapMessage(Buffer.from([0x30, 0x05, 0x02, 0x01, 0x01, 0x5f, 0x00])), /multi-byte/);
    const tlv = (tag: number, value: Buffer): Buffer => Buffer.concat([Buffer.from(value.length < 0x80 ? [tag, value.length] : [tag, 0x82, value.length >> 8, value.length & 0xff]), value]);
    let nested = tlv(0x04, Buffer.alloc(0));
    for (let i = 0; i < 80; i++) nested = tlv(0xa0, nested);
    assert.throws(() => checkLdapMessage(tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([1])), tlv(0x63, nested)]))), /deeper than/);
    assert.throws(() => checkLdapMessage(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])), /message ID and an operation/);
  });

  // Found by `npm run fuzz` (ldap target): each grew ldapjs's parser until the process ran out of memory.
  it('refuses a primitive element where ldapjs steps in without looking at the tag', () => {
    const modifyWithPrimitiveChanges = '3057020106665204247569853d626f622c6f753d70656f706c652c64633d656467652c64633d6578616d706c65822a30120a0102300d04046d61696c3105041f62407830140a0101300f040b6465736372690274696f6e3100';
    assert.throws(() => checkLdapMessage(Buffer.from(modifyWithPrimitiveChanges, 'hex')), (err: Error) => err instanceof InvalidArgumentError && /element 1 of operation 0x66 must be a SEQUENCE or SET, got primitive tag 0x82/.test(err.message));
    const addWithPrimitiveAttribute = '3054020105684f0417636e3d782c64633d656427652c64633d6578616d706c653034301c040b0101ff656374436c617373310d0406706572736f6e0403746f7010090402636e310304117830090402736e3103040179';
    assert.throws(() => checkLdapMessage(Buffer.from(addWithPrimitiveAttribute, 'hex')), /element 1\.\* of operation 0x68 must be a SEQUENCE or SET, got primitive tag 0x10/);
  });

  it('refuses primitive substrings in a substring filter, a primitive control and a primitive first element in a BER value', () => {
    const tlv = (tag: number, value: Buffer): Buffer => Buffer.concat([Buffer.from([tag, value.length]), value]);
    const str = (tag: number, text: string): Buffer => tlv(tag, Buffer.from(text));
    const message = (op: Buffer, controls?: Buffer): Buffer => tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([9])), op, ...(controls ? [controls] : [])]));
    const search = (filter: Buffer): Buffer =>
      tlv(0x63, Buffer.concat([str(0x04, ''), tlv(0x0a, Buffer.from([0])), tlv(0x0a, Buffer.from([0])), tlv(0x02, Buffer.from([0])), tlv(0x02, Buffer.from([0])), tlv(0x01, Buffer.from([0])), filter, tlv(0x30, Buffer.alloc(0))]));
    const substrings = (inner: Buffer): Buffer => tlv(0xa0, tlv(0xa4, Buffer.concat([str(0x04, 'cn'), inner])));
    assert.doesNotThrow(() => checkLdapMessage(message(search(substrings(tlv(0x30, str(0x80, 'a')))))));
    assert.throws(() => checkLdapMessage(message(search(substrings(tlv(0x04, Buffer.from([0x80, 0x7f])))))), /substrings of a substring filter must be a SEQUENCE/);
    const unbind = tlv(0x42, Buffer.alloc(0));
    assert.throws(() => checkLdapMessage(message(unbind, tlv(0xa0, str(0x04, '1.2.3')))), /a control must be a SEQUENCE/);
    const paged = (value: Buffer): Buffer => tlv(0xa0, tlv(0x30, Buffer.concat([str(0x04, '1.2.840.113556.1.4.319'), tlv(0x04, value)])));
    assert.doesNotThrow(() => checkLdapMessage(message(unbind, paged(tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([5])), tlv(0x04, Buffer.alloc(0))]))))));
    assert.throws(() => checkLdapMessage(message(unbind, paged(tlv(0x04, Buffer.from([0x02, 0x01, 0x05]))))), /its first element must be a SEQUENCE/);
  });

  it('checks the BER inside control values and extended request values that ldapjs decodes', () => {
    const oid = Buffer.from('1.2.840.113556.1.4.319');
    const badValue = Buffer.from([0x30, 0x05, 0x02, 0x01, 0x05, 0x04, 0x09]); // cookie claims 9 bytes, none follow
    const control = Buffer.concat([Buffer.from([0x30, oid.length + badValue.length + 4, 0x04, oid.length]), oid, Buffer.from([0x04, badValue.length]), badValue]);
    const controls = Buffer.concat([Buffer.from([0xa0, control.length]), control]);
    const body = Buffer.concat([Buffer.from([0x02, 0x01, 0x02, 0x42, 0x00]), controls]);
    const message = Buffer.concat([Buffer.from([0x30, body.length]), body]);
    assert.throws(() => checkLdapMessage(message), /value of control 1\.2\.840\.113556\.1\.4\.319/);
  });
});
