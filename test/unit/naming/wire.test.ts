import assert from 'node:assert/strict';
import { decodeResponse, encodeResponse, type Response } from '../../../src/naming/server/dns2-adapter';
import type { Rr } from '../../../src/naming/zones/records';
import { checkResponse } from '../../../src/naming/server/wire';

const ID = 0x1234;
const response = (answers: Rr[], over: Partial<Response> = {}): Buffer =>
  encodeResponse({ id: ID, opcode: 0, rd: true, ra: true, aa: false, rcode: 0, question: { name: 'edge.example', type: 255, class: 1 }, answers, authorities: [], additionals: [], ...over });

const SOA: Rr = { name: 'edge.example', type: 'SOA', ttl: 60, data: { primary: 'ns.edge.example', admin: 'hostmaster.edge.example', serial: 7, refresh: 3600, retry: 600, expiration: 86400, minimum: 60 } };
const A: Rr = { name: 'www.edge.example', type: 'A', ttl: 60, data: { address: '192.0.2.1' } };

/** `message` with the data of its record at `recordAt` (offset of its owner name, uncompressed) grown by `extra`. */
function growRecord(message: Buffer, recordAt: number, extra: Buffer): Buffer {
  let at = recordAt;
  while (message[at] !== 0) at += 1 + message[at]!;
  const rdlengthAt = at + 1 + 8;
  const dataEnd = rdlengthAt + 2 + message.readUInt16BE(rdlengthAt);
  const out = Buffer.concat([message.subarray(0, dataEnd), extra, message.subarray(dataEnd)]);
  out.writeUInt16BE(message.readUInt16BE(rdlengthAt) + extra.length, rdlengthAt);
  return out;
}

const QUESTION_END = 12 + 'edge.example'.length + 2 + 4;

describe('wire: checking responses before dns2 decodes them', () => {
  it('accepts what the encoder makes, for every type served', () => {
    const all: Rr[] = [
      A, { name: 'www.edge.example', type: 'AAAA', ttl: 60, data: { address: '2001:db8::1' } }, SOA,
      { name: 'edge.example', type: 'NS', ttl: 60, data: { ns: 'ns.edge.example' } },
      { name: 'files.edge.example', type: 'CNAME', ttl: 60, data: { domain: 'www.edge.example' } },
      { name: 'edge.example', type: 'MX', ttl: 60, data: { exchange: 'mail.edge.example', priority: 10 } },
      { name: 'edge.example', type: 'TXT', ttl: 60, data: { data: ['v=spf1 -all', ''] } },
      { name: '_ldap._tcp.edge.example', type: 'SRV', ttl: 60, data: { priority: 0, weight: 5, port: 389, target: 'core.edge.example' } },
      { name: '1.2.0.192.in-addr.arpa', type: 'PTR', ttl: 60, data: { domain: 'www.edge.example' } },
    ];
    const message = response(all, { edns: { payload: 1232, ede: { code: 22, text: 'no reachable authority' } } });
    assert.equal(checkResponse(message, ID), undefined);
    assert.equal(decodeResponse(message).answers.length, all.length);
  });

  // Found by `npm run fuzz` (dns-response): SOA data longer than its names and numbers put dns2 out of
  // step with the message, and it then followed a compression loop no check had seen, for ever.
  it('refuses record data longer than what dns2 reads for its type', () => {
    const soa = growRecord(response([SOA, A]), QUESTION_END, Buffer.from([0xc0, 0x0c, 0xc0, 0x0c, 0, 0]));
    assert.match(checkResponse(soa, ID) ?? '', /SOA record data is \d+ octets/);
    const cname = growRecord(response([{ name: 'files.edge.example', type: 'CNAME', ttl: 60, data: { domain: 'www.edge.example' } }, A]), QUESTION_END, Buffer.from([0xc0]));
    assert.match(checkResponse(cname, ID) ?? '', /type 5 record data/);
  });

  it('refuses A and AAAA data of the wrong size, and TXT strings that run past the data', () => {
    assert.match(checkResponse(growRecord(response([A]), QUESTION_END, Buffer.from([7])), ID) ?? '', /A record data is 5 octets, expected 4/);
    const aaaa = growRecord(response([{ name: 'www.edge.example', type: 'AAAA', ttl: 60, data: { address: '2001:db8::1' } }]), QUESTION_END, Buffer.from([1]));
    assert.match(checkResponse(aaaa, ID) ?? '', /AAAA record data is 17 octets/);
    const txt = growRecord(response([{ name: 'edge.example', type: 'TXT', ttl: 60, data: { data: ['abc'] } }]), QUESTION_END, Buffer.from([9, 0x41]));
    assert.match(checkResponse(txt, ID) ?? '', /TXT character-strings/);
  });

  it('refuses EDNS options that run past the OPT record or are too short for their decoder', () => {
    const withOpt = response([A], { edns: { payload: 1232 } });
    const optAt = withOpt.length - 11;
    const pastEnd = growRecord(withOpt, optAt, Buffer.from([0x00, 0x0a, 0x00, 0x08, 1, 2]));
    assert.match(checkResponse(pastEnd, ID) ?? '', /EDNS option runs past/);
    const shortSubnet = growRecord(withOpt, optAt, Buffer.from([0x00, 0x08, 0x00, 0x01, 1]));
    assert.match(checkResponse(shortSubnet, ID) ?? '', /EDNS option 8 of 1 octets is too short/);
  });
});
