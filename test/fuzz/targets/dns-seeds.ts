// Valid DNS messages for the DNS fuzz targets and the live fuzz, built with
// the project's own dns2 adapter encoders, plus where their length and count
// fields sit (for the mutator's length tweaks).

import { encodeQuery, encodeResponse, type Response } from '../../../src/naming/server/dns2-adapter';
import type { Rr } from '../../../src/naming/zones/records';

const QUESTIONS: Array<[string, number]> = [
  ['www.edge.example', 1],
  ['printer.berlin.eu.edge.example', 28],
  ['edge.example', 15],
  ['edge.example', 16],
  ['_ldap._tcp.edge.example', 33],
  ['api.svc.edge.example', 255],
  ['edge.example', 252],
  ['1.10.0.127.in-addr.arpa', 12],
  ['berlin.eu.edge.example', 2],
  ['', 6],
];

/** Queries as a resolver sends them (EDNS, RD), one without EDNS, one with a compressed name in an extra record. */
export function dnsQueries(): Buffer[] {
  const out = QUESTIONS.map(([name, type], i) => encodeQuery(0x1000 + i, name, type));
  const withEdns = encodeQuery(0x2222, 'files.berlin.eu.edge.example', 1);
  // The same query without its OPT record (11 octets at the end): ARCOUNT 0.
  const plain = Buffer.from(withEdns.subarray(0, withEdns.length - 11));
  plain.writeUInt16BE(0, 10);
  out.push(plain);
  // A question plus an authority record whose owner is a compression pointer to the question (0xc00c).
  const q = Buffer.from(plain);
  q.writeUInt16BE(1, 8);
  out.push(Buffer.concat([q, Buffer.from([0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x04, 127, 0, 0, 1])]));
  return out;
}

const RECORDS: Rr[] = [
  { name: 'www.edge.example', type: 'A', ttl: 300, data: { address: '192.0.2.10' } },
  { name: 'www.edge.example', type: 'AAAA', ttl: 300, data: { address: '2001:db8::10' } },
  { name: 'files.berlin.eu.edge.example', type: 'CNAME', ttl: 60, data: { domain: 'printer.berlin.eu.edge.example' } },
  { name: 'edge.example', type: 'MX', ttl: 3600, data: { exchange: 'mail.edge.example', priority: 10 } },
  { name: 'edge.example', type: 'TXT', ttl: 3600, data: { data: ['v=spf1 -all', 'hello; world'] } },
  { name: '_ldap._tcp.edge.example', type: 'SRV', ttl: 60, data: { priority: 0, weight: 5, port: 389, target: 'core.edge.example' } },
  { name: 'berlin.eu.edge.example', type: 'NS', ttl: 300, data: { ns: 'ns.berlin.eu.edge.example' } },
  { name: '1.10.0.127.in-addr.arpa', type: 'PTR', ttl: 300, data: { domain: 'core.edge.example' } },
];

const SOA: Rr = { name: 'edge.example', type: 'SOA', ttl: 300, data: { primary: 'ns.edge.example', admin: 'hostmaster.edge.example', serial: 7, refresh: 3600, retry: 600, expiration: 86400, minimum: 60 } };

/** Responses as an upstream or parent sends them (ID 0x1234), with each record type, referrals, NXDOMAIN and an Extended DNS Error. */
export function dnsResponses(): Buffer[] {
  const base = (over: Partial<Response>): Buffer =>
    encodeResponse({ id: 0x1234, opcode: 0, rd: true, ra: true, aa: false, rcode: 0, question: { name: 'www.edge.example', type: 1, class: 1 }, answers: [], authorities: [], additionals: [], ...over });
  return [
    ...RECORDS.map((rr) => base({ question: { name: rr.name, type: { A: 1, AAAA: 28, CNAME: 5, MX: 15, TXT: 16, SRV: 33, NS: 2, PTR: 12, SOA: 6 }[rr.type], class: 1 }, answers: [rr] })),
    base({ answers: RECORDS.slice(0, 3), authorities: [RECORDS[6]!], additionals: [RECORDS[0]!], edns: { payload: 1232 } }),
    base({ rcode: 3, aa: true, authorities: [SOA], edns: { payload: 1232, ede: { code: 22, text: 'no reachable authority' } } }),
    base({ authorities: [RECORDS[6]!], additionals: [{ name: 'ns.berlin.eu.edge.example', type: 'A', ttl: 300, data: { address: '127.0.0.1' } }] }),
    base({ tc: true }),
  ];
}

/** Offsets of the header counts and of every label length and RDLENGTH that can be found by walking `msg` leniently. */
export function dnsLengthFields(msg: Buffer): number[] {
  const out = [4, 5, 6, 7, 8, 9, 10, 11].filter((o) => o < msg.length);
  let at = 12;
  const skipName = (): boolean => {
    for (let guard = 0; guard < 128 && at < msg.length; guard++) {
      const len = msg[at]!;
      out.push(at);
      if (len === 0) {
        at += 1;
        return true;
      }
      if ((len & 0xc0) === 0xc0) {
        at += 2;
        return true;
      }
      at += 1 + len;
    }
    return false;
  };
  if (msg.length < 12) return out;
  const qd = msg.readUInt16BE(4);
  const rr = msg.readUInt16BE(6) + msg.readUInt16BE(8) + msg.readUInt16BE(10);
  for (let i = 0; i < Math.min(qd, 4); i++) if (!skipName() || (at += 4) > msg.length) return out;
  for (let i = 0; i < Math.min(rr, 64); i++) {
    if (!skipName() || at + 10 > msg.length) return out;
    out.push(at + 8);
    at += 10 + msg.readUInt16BE(at + 8);
  }
  return out.filter((o) => o < msg.length);
}
