import assert from 'node:assert/strict';
import { BerFramer, bindRequestOf, bindResponse, noticeOfDisconnection } from '../../../src/directory/ber-frames';
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
