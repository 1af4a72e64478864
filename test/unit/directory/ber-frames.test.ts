import assert from 'node:assert/strict';
import { BerFramer } from '../../../src/directory/ber-frames';
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

  it('refuses what is not LDAP framing: another tag, indefinite or over-long lengths, oversized messages', () => {
    assert.throws(() => new BerFramer().push(Buffer.from('GET / HTTP/1.1\r\n')), InvalidArgumentError);
    assert.throws(() => new BerFramer().push(Buffer.from([0x30, 0x80])), /indefinite/);
    assert.throws(() => new BerFramer().push(Buffer.from([0x30, 0x85, 1, 1, 1, 1, 1])), /too long/);
    assert.throws(() => new BerFramer(1000).push(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])), /exceeds/);
  });
});
