import assert from 'node:assert/strict';
import { decodeResponse, encodeResponse, type Response } from '../../../src/naming/server/dns2-adapter';
import type { Rr } from '../../../src/naming/zones/records';
import { checkResponse } from '../../../src/naming/server/wire';

const ID = 0x1234;
const response = (answers: Rr[], over: Partial<Response> = {}): Buffer =>
  encodeResponse({ id: ID, opcode: 0, rd: true, ra: true, aa: false, rcode: 0, question: { name: 'edge.example', type: 255, class: 1 }, answers, authorities: [], additionals: [], ...over });
const A: Rr = { name: 'www.edge.example', type: 'A', ttl: 60, data: { address: '192.0.2.1' } };
const QUESTION_END = 12 + 'edge.example'.length + 2 + 4;

/** `message` with the data of its record at `recordAt` (offset of its uncompressed owner name) grown by `extra`. */
function growRecord(message: Buffer, recordAt: number, extra: Buffer): Buffer {
  let at = recordAt;
  while (message[at] !== 0) at += 1 + message[at]!;
  const rdlengthAt = at + 1 + 8;
  const dataEnd = rdlengthAt + 2 + message.readUInt16BE(rdlengthAt);
  const out = Buffer.concat([message.subarray(0, dataEnd), extra, message.subarray(dataEnd)]);
  out.writeUInt16BE(message.readUInt16BE(rdlengthAt) + extra.length, rdlengthAt);
  return out;
}

// Both cases lost every record after them with dns2's own decoders (found while fixing what `npm run fuzz` found).
describe('dns2 adapter: decoding stays in step with the message', () => {
  it('skips an EDNS option it does not know (a cookie) by octets, and reads the record after it', () => {
    const withOpt = response([A], { edns: { payload: 1232 } });
    const optAt = withOpt.length - 11;
    const cookie = growRecord(withOpt, optAt, Buffer.from([0x00, 0x0a, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8]));
    // Move the OPT record in front of another additional record: the A record again, uncompressed.
    const aRecord = response([A]).subarray(QUESTION_END);
    const message = Buffer.concat([cookie, aRecord]);
    message.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
    assert.equal(checkResponse(message, ID), undefined);
    const decoded = decodeResponse(message);
    assert.deepEqual(decoded.answers.map((r) => r.name), ['www.edge.example']);
  });

  it('skips a CAA record (dns2 cannot decode one) and reads the record after it', () => {
    const caa = Buffer.from([0x04, 0x65, 0x64, 0x67, 0x65, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x00, 0x01, 0x01, 0x00, 0x01, 0, 0, 0, 60, 0x00, 0x0b, 0x00, 0x05, 0x69, 0x73, 0x73, 0x75, 0x65, 0x63, 0x61, 0x2e, 0x78]);
    const message = response([A]);
    const withCaa = Buffer.concat([message.subarray(0, QUESTION_END), caa, message.subarray(QUESTION_END)]);
    withCaa.writeUInt16BE(2, 6);
    assert.equal(checkResponse(withCaa, ID), undefined);
    assert.deepEqual(decodeResponse(withCaa).answers.map((r) => `${r.name} ${r.type}`), ['www.edge.example A']);
  });
});
