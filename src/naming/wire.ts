// Reads and checks a DNS query on the wire before anything else touches it:
// bounds, label lengths, compression pointers (only backwards, so no loops),
// counts that cannot fit, a single question, at most one OPT. dns2's parser
// swallows errors and loops forever on a pointer cycle, so it never sees
// bytes this file has not accepted. Also the source of packet-cache keys.

export const HEADER_OCTETS = 12;
const MAX_POINTER_JUMPS = 64;

export interface QueryEdns {
  payload: number;
  version: number;
  dnssecOk: boolean;
}

export interface Query {
  id: number;
  opcode: number;
  rd: boolean;
  cd: boolean;
  /** As sent (case preserved, no trailing dot). */
  name: string;
  type: number;
  class: number;
  edns: QueryEdns | undefined;
  /** Offset just past the question, for the packet cache. */
  questionEnd: number;
}

export type ReadResult =
  | { kind: 'query'; query: Query }
  /** Answer with this rcode (FORMERR, NOTIMP); `id`/`question` echo what could be read. */
  | { kind: 'error'; rcode: number; id: number; opcode: number; rd: boolean; reason: string; query?: Partial<Query> }
  /** Not worth an answer (too short, or a response). */
  | { kind: 'drop'; reason: string };

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, BADVERS: 16 } as const;

class WireError extends Error {}

/** Reads a (possibly compressed) name at `offset`; returns it and the offset after it. */
export function readName(buf: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let next = -1;
  let jumps = 0;
  let octets = 1;
  let lowest = offset;
  for (;;) {
    if (pos >= buf.length) throw new WireError('name runs past the end of the message');
    const len = buf[pos]!;
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= buf.length) throw new WireError('compression pointer runs past the end');
      const target = ((len & 0x3f) << 8) | buf[pos + 1]!;
      if (target >= lowest) throw new WireError('compression pointer does not point backwards (loop)');
      if (++jumps > MAX_POINTER_JUMPS) throw new WireError('too many compression pointers');
      if (next < 0) next = pos + 2;
      lowest = target;
      pos = target;
      continue;
    }
    if ((len & 0xc0) !== 0) throw new WireError(`bad label length byte 0x${len.toString(16)}`);
    if (len === 0) {
      if (next < 0) next = pos + 1;
      return { name: labels.join('.'), next };
    }
    if (pos + 1 + len > buf.length) throw new WireError('label runs past the end of the message');
    octets += len + 1;
    if (octets > 255) throw new WireError('name longer than 255 octets');
    labels.push(buf.toString('latin1', pos + 1, pos + 1 + len).replace(/[.\\]/g, (c) => `\\${c}`));
    pos += 1 + len;
  }
}

function u16(buf: Buffer, offset: number): number {
  if (offset + 2 > buf.length) throw new WireError('message ends inside a field');
  return buf.readUInt16BE(offset);
}

/** Skips one resource record; returns the OPT data if it is one. */
function readRecord(buf: Buffer, offset: number): { next: number; opt?: { payload: number; ttl: number } } {
  const { next: afterName, name } = readName(buf, offset);
  const type = u16(buf, afterName);
  const klass = u16(buf, afterName + 2);
  if (afterName + 10 > buf.length) throw new WireError('record header runs past the end');
  const ttl = buf.readUInt32BE(afterName + 4);
  const rdlength = u16(buf, afterName + 8);
  const end = afterName + 10 + rdlength;
  if (end > buf.length) throw new WireError('record data runs past the end');
  if (type === 41) {
    if (name !== '') throw new WireError('OPT record not owned by the root');
    return { next: end, opt: { payload: klass, ttl } };
  }
  checkRdataNames(buf, type, afterName + 10, end);
  return { next: end };
}

/** Record types whose data holds names: where they start in the rdata, and how many. */
const NAME_FIELDS: Record<number, { skip: number; count: number }> = {
  2: { skip: 0, count: 1 }, // NS
  5: { skip: 0, count: 1 }, // CNAME
  6: { skip: 0, count: 2 }, // SOA
  12: { skip: 0, count: 1 }, // PTR
  15: { skip: 2, count: 1 }, // MX
  33: { skip: 6, count: 1 }, // SRV
};

function checkRdataNames(buf: Buffer, type: number, start: number, end: number): void {
  const fields = NAME_FIELDS[type];
  if (!fields) return;
  let offset = start + fields.skip;
  for (let i = 0; i < fields.count; i++) {
    const { next } = readName(buf, offset);
    if (next > end) throw new WireError('a name in record data runs past the record');
    offset = next;
  }
}

export function readQuery(buf: Buffer): ReadResult {
  if (buf.length < HEADER_OCTETS) return { kind: 'drop', reason: 'shorter than a DNS header' };
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  if (flags & 0x8000) return { kind: 'drop', reason: 'a response, not a query' };
  const opcode = (flags >> 11) & 0xf;
  const rd = (flags & 0x0100) !== 0;
  const cd = (flags & 0x0010) !== 0;
  const counts = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o));
  const fail = (rcode: number, reason: string, query?: Partial<Query>): ReadResult => ({ kind: 'error', rcode, id, opcode, rd, reason, query });
  if (opcode !== 0) return fail(RCODE.NOTIMP, `opcode ${opcode} is not supported`);
  if (counts[0] !== 1) return fail(RCODE.FORMERR, `expected one question, got ${counts[0]}`);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total * 5 > buf.length) return fail(RCODE.FORMERR, 'record counts larger than the message');
  try {
    const q = readName(buf, HEADER_OCTETS);
    const type = u16(buf, q.next);
    const klass = u16(buf, q.next + 2);
    const question = { id, opcode, rd, cd, name: q.name, type, class: klass, questionEnd: q.next + 4 };
    let offset = question.questionEnd;
    let edns: QueryEdns | undefined;
    for (let i = 0; i < counts[1]! + counts[2]! + counts[3]!; i++) {
      const rec = readRecord(buf, offset);
      offset = rec.next;
      if (rec.opt) {
        if (i < counts[1]! + counts[2]!) return fail(RCODE.FORMERR, 'OPT outside the additional section', question);
        if (edns) return fail(RCODE.FORMERR, 'more than one OPT record', question);
        edns = { payload: Math.max(512, rec.opt.payload), version: (rec.opt.ttl >>> 16) & 0xff, dnssecOk: (rec.opt.ttl & 0x8000) !== 0 };
      }
    }
    return { kind: 'query', query: { ...question, edns } };
  } catch (err) {
    if (err instanceof WireError) return fail(RCODE.FORMERR, err.message);
    throw err;
  }
}

/** Checks an upstream's response for `id` before dns2 parses it: header, every name loop-safe, every record in bounds. */
export function checkResponse(buf: Buffer, id: number): string | undefined {
  if (buf.length < HEADER_OCTETS) return 'shorter than a DNS header';
  if (buf.readUInt16BE(0) !== id) return 'ID does not match the query';
  if ((buf.readUInt16BE(2) & 0x8000) === 0) return 'not a response';
  const counts = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o));
  try {
    let offset = HEADER_OCTETS;
    for (let i = 0; i < counts[0]!; i++) offset = readName(buf, offset).next + 4;
    for (let i = 0; i < counts[1]! + counts[2]! + counts[3]!; i++) {
      offset = readRecord(buf, offset).next;
    }
    return undefined;
  } catch (err) {
    if (err instanceof WireError) return err.message;
    throw err;
  }
}

