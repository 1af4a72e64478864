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

/** The RCODE of a DNS message (header byte 3, low four bits). */
export function rcodeOf(message: Buffer): number {
  return message.length >= 4 ? message[3]! & 0x0f : 0;
}

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, BADVERS: 16 } as const;

class WireError extends Error {}

/** Reads a (possibly compressed) name at `offset`; returns it and the offset after it. */
export function readName(buf: Buffer, offset: number): { name: string; next: number } {
  return walkName(buf, offset, true);
}

/** Checks a name and returns the offset after it, without building the string (the hot path). */
export function skipName(buf: Buffer, offset: number): number {
  return walkName(buf, offset, false).next;
}

function walkName(buf: Buffer, offset: number, build: boolean): { name: string; next: number } {
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
    if (build) {
      const label = buf.toString('latin1', pos + 1, pos + 1 + len);
      labels.push(label.includes('.') || label.includes('\\') ? label.replace(/[.\\]/g, (c) => `\\${c}`) : label);
    }
    pos += 1 + len;
  }
}

function u16(buf: Buffer, offset: number): number {
  if (offset + 2 > buf.length) throw new WireError('message ends inside a field');
  return be16(buf, offset);
}

// Big-endian reads of bytes already known to be in bounds. Buffer's readUInt16BE
// and readUInt32BE validate their argument on every call, a measurable share of
// readQuery, which runs for every query.
function be16(buf: Buffer, offset: number): number {
  return (buf[offset]! << 8) | buf[offset + 1]!;
}

function be32(buf: Buffer, offset: number): number {
  return ((buf[offset]! << 24) | (buf[offset + 1]! << 16) | (buf[offset + 2]! << 8) | buf[offset + 3]!) >>> 0;
}

/** Skips one resource record; returns the OPT data if it is one. */
function readRecord(buf: Buffer, offset: number): { next: number; opt?: { payload: number; ttl: number } } {
  const isRoot = buf[offset] === 0;
  const afterName = skipName(buf, offset);
  const type = u16(buf, afterName);
  const klass = u16(buf, afterName + 2);
  if (afterName + 10 > buf.length) throw new WireError('record header runs past the end');
  const ttl = be32(buf, afterName + 4);
  const rdlength = u16(buf, afterName + 8);
  const end = afterName + 10 + rdlength;
  if (end > buf.length) throw new WireError('record data runs past the end');
  if (type === 41) {
    if (!isRoot) throw new WireError('OPT record not owned by the root');
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
    const next = skipName(buf, offset);
    if (next > end) throw new WireError('a name in record data runs past the record');
    offset = next;
  }
}

/** `withName` false skips building the name string: enough for the packet cache, which keys on bytes. */
export function readQuery(buf: Buffer, withName = true): ReadResult {
  // Written without closures or temporary arrays: this runs for every query.
  if (buf.length < HEADER_OCTETS) return { kind: 'drop', reason: 'shorter than a DNS header' };
  const id = be16(buf, 0);
  const flags = be16(buf, 2);
  if (flags & 0x8000) return { kind: 'drop', reason: 'a response, not a query' };
  const opcode = (flags >> 11) & 0xf;
  const rd = (flags & 0x0100) !== 0;
  const qdcount = be16(buf, 4);
  const answerAndAuthority = be16(buf, 6) + be16(buf, 8);
  const records = answerAndAuthority + be16(buf, 10);
  if (opcode !== 0) return failure(RCODE.NOTIMP, id, opcode, rd, `opcode ${opcode} is not supported`);
  if (qdcount !== 1) return failure(RCODE.FORMERR, id, opcode, rd, `expected one question, got ${qdcount}`);
  if ((records + 1) * 5 > buf.length) return failure(RCODE.FORMERR, id, opcode, rd, 'record counts larger than the message');
  try {
    let name = '';
    let offset: number;
    if (withName) {
      const read = readName(buf, HEADER_OCTETS);
      name = read.name;
      offset = read.next;
    } else offset = skipName(buf, HEADER_OCTETS);
    const type = u16(buf, offset);
    const klass = u16(buf, offset + 2);
    const questionEnd = offset + 4;
    const query: Query = { id, opcode, rd, cd: (flags & 0x0010) !== 0, name, type, class: klass, edns: undefined, questionEnd };
    offset = questionEnd;
    for (let i = 0; i < records; i++) {
      const rec = readRecord(buf, offset);
      offset = rec.next;
      if (!rec.opt) continue;
      if (i < answerAndAuthority) return failure(RCODE.FORMERR, id, opcode, rd, 'OPT outside the additional section', query);
      if (query.edns) return failure(RCODE.FORMERR, id, opcode, rd, 'more than one OPT record', query);
      query.edns = { payload: Math.max(512, rec.opt.payload), version: (rec.opt.ttl >>> 16) & 0xff, dnssecOk: (rec.opt.ttl & 0x8000) !== 0 };
    }
    return { kind: 'query', query };
  } catch (err) {
    if (err instanceof WireError) return failure(RCODE.FORMERR, id, opcode, rd, err.message);
    throw err;
  }
}

function failure(rcode: number, id: number, opcode: number, rd: boolean, reason: string, query?: Partial<Query>): ReadResult {
  return { kind: 'error', rcode, id, opcode, rd, reason, query };
}

/**
 * Checks an upstream's response for `id` before dns2 parses it: header, every name loop-safe, every
 * record in bounds and its data exactly what dns2's decoder for its type reads.
 */
export function checkResponse(buf: Buffer, id: number): string | undefined {
  if (buf.length < HEADER_OCTETS) return 'shorter than a DNS header';
  if (buf.readUInt16BE(0) !== id) return 'ID does not match the query';
  if ((buf.readUInt16BE(2) & 0x8000) === 0) return 'not a response';
  const counts = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o));
  try {
    let offset = HEADER_OCTETS;
    for (let i = 0; i < counts[0]!; i++) offset = skipName(buf, offset) + 4;
    for (let i = 0; i < counts[1]! + counts[2]! + counts[3]!; i++) {
      const start = offset;
      offset = readRecord(buf, offset).next;
      checkDecodable(buf, start, offset);
    }
    return undefined;
  } catch (err) {
    if (err instanceof WireError) return err.message;
    throw err;
  }
}

/**
 * dns2 decodes record data without looking at RDLENGTH: each type's decoder reads what it expects and
 * the next record starts where it stopped. Data shorter or longer than that puts dns2 out of step with
 * the message, reading names no check has seen, and a compression loop among them never ends (a
 * 7 KB response found by `npm run fuzz` hung dns2). So the data of each type dns2 decodes must be
 * exactly what it reads.
 */
function checkDecodable(buf: Buffer, record: number, end: number): void {
  const afterName = skipName(buf, record);
  const type = be16(buf, afterName);
  const start = afterName + 10;
  const exact = (octets: number, what: string): void => {
    if (end - start !== octets) throw new WireError(`${what} record data is ${end - start} octets, expected ${octets}`);
  };
  switch (type) {
    case 1:
      return exact(4, 'A');
    case 28:
      return exact(16, 'AAAA');
    case 2:
    case 5:
    case 12:
      return exact(skipName(buf, start) - start, `type ${type}`);
    case 15:
      return exact(skipName(buf, start + 2) - start, 'MX');
    case 33:
      return exact(skipName(buf, start + 6) - start, 'SRV');
    case 6:
      return exact(skipName(buf, skipName(buf, start)) + 20 - start, 'SOA');
    case 16:
    case 99:
      return checkStrings(buf, start, end);
    case 41:
      return checkOptions(buf, start, end);
  }
}

/** TXT data: character-strings (a length octet, then that many) that fill it exactly. */
function checkStrings(buf: Buffer, start: number, end: number): void {
  let at = start;
  while (at < end) at += 1 + buf[at]!;
  if (at !== end) throw new WireError('TXT character-strings run past the record data');
}

const EDNS_MIN_OPTION_OCTETS: Record<number, number> = { 8: 4 /* client subnet */, 15: 2 /* extended error */ };

/** OPT data: options (code, length, data) that fill it exactly, each as long as dns2's decoder for it reads. */
function checkOptions(buf: Buffer, start: number, end: number): void {
  let at = start;
  while (at < end) {
    if (at + 4 > end) throw new WireError('EDNS option header runs past the OPT record');
    const code = be16(buf, at);
    const length = be16(buf, at + 2);
    if (length < (EDNS_MIN_OPTION_OCTETS[code] ?? 0)) throw new WireError(`EDNS option ${code} of ${length} octets is too short`);
    at += 4 + length;
  }
  if (at !== end) throw new WireError('EDNS option runs past the OPT record');
}

/** Offsets of the TTL field of every record but OPT in a response we encoded, for ageing it in a cache. */
export function ttlOffsets(buf: Buffer): number[] {
  const counts = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o));
  let offset = HEADER_OCTETS;
  for (let i = 0; i < counts[0]!; i++) offset = skipName(buf, offset) + 4;
  const out: number[] = [];
  for (let i = 0; i < counts[1]! + counts[2]! + counts[3]!; i++) {
    const afterName = skipName(buf, offset);
    if (u16(buf, afterName) !== 41) out.push(afterName + 4);
    offset = readRecord(buf, offset).next;
  }
  return out;
}
