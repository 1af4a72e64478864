// Splits an LDAP byte stream into whole BER messages before ldapjs sees them
// (RFC 4511 §5.1: each LDAPMessage is one SEQUENCE with a definite length).
// ldapjs's parser asserts (and so crashes the process) on some malformed
// input and buffers garbage without bound; this framer refuses both: a
// first byte other than SEQUENCE, an indefinite or over-long length, or a
// message larger than the limit is an error and the connection is closed.

import { InvalidArgumentError } from '../../kernel/errors';

/** OpenLDAP's sockbuf_max_incoming_auth default is 4 MiB; 1 MiB is ample for this directory. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export class BerFramer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly maxBytes = MAX_MESSAGE_BYTES) {}

  /** Whole messages completed by `chunk` (throws InvalidArgumentError on malformed framing). */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const messages: Buffer[] = [];
    for (;;) {
      const size = this.frameSize();
      if (size === undefined || this.pending.length < size) break;
      messages.push(this.pending.subarray(0, size));
      this.pending = this.pending.subarray(size);
    }
    return messages;
  }

  /** Total size of the first message, or undefined while its header is incomplete. */
  private frameSize(): number | undefined {
    const buf = this.pending;
    if (buf.length === 0) return undefined;
    if (buf[0] !== 0x30) throw new InvalidArgumentError(`not an LDAP message: starts with 0x${buf[0]!.toString(16).padStart(2, '0')}, expected a SEQUENCE (0x30)`);
    if (buf.length < 2) return undefined;
    const first = buf[1]!;
    let length: number;
    let header: number;
    if (first < 0x80) {
      length = first;
      header = 2;
    } else {
      const octets = first & 0x7f;
      if (octets === 0) throw new InvalidArgumentError('indefinite BER length is not allowed in LDAP');
      if (octets > 4) throw new InvalidArgumentError(`BER length of ${octets} octets is too long`);
      if (buf.length < 2 + octets) return undefined;
      length = buf.readUIntBE(2, octets);
      header = 2 + octets;
    }
    if (header + length > this.maxBytes) throw new InvalidArgumentError(`LDAP message of ${header + length} bytes exceeds the limit of ${this.maxBytes}`);
    return header + length;
  }
}

/** Reads one BER tag-length header at `at`: the tag, where the value starts and its length (undefined if malformed). */
function header(buf: Buffer, at: number): { tag: number; start: number; length: number } | undefined {
  if (at + 2 > buf.length) return undefined;
  const tag = buf[at]!;
  const first = buf[at + 1]!;
  if (first < 0x80) return { tag, start: at + 2, length: first };
  const octets = first & 0x7f;
  if (octets === 0 || octets > 4 || at + 2 + octets > buf.length) return undefined;
  return { tag, start: at + 2 + octets, length: buf.readUIntBE(at + 2, octets) };
}

/**
 * A BindRequest's message ID and whether it is SASL (authentication choice
 * [3]); undefined for any other operation. Every bind moves the connection
 * to anonymous first (RFC 4511 §4.2.1), and ldapjs cannot parse SASL binds
 * (it drops the connection), so the adapter answers those itself.
 */
export function bindRequestOf(message: Buffer): { messageId: number; sasl: boolean } | undefined {
  const outer = header(message, 0);
  const id = outer && header(message, outer.start);
  if (!id || id.tag !== 0x02 || id.length < 1 || id.length > 4) return undefined;
  const op = header(message, id.start + id.length);
  if (!op || op.tag !== 0x60) return undefined;
  const version = header(message, op.start);
  const name = version && header(message, version.start + version.length);
  const auth = name && header(message, name.start + name.length);
  return { messageId: message.readUIntBE(id.start, id.length), sasl: auth?.tag === 0xa3 };
}

/**
 * A SearchRequest's message ID, its scope (ENUMERATED: 0 base, 1 one, 2 sub,
 * 3 children) and the offset of the scope's byte; undefined for any other
 * operation. ldapjs knows only scopes 0–2 and drops the connection on any
 * other, so the adapter rewrites `children` (OpenLDAP's subordinate scope,
 * draft-sermersheim-ldap-subordinate-scope) and answers the rest itself.
 */
export function searchScopeOf(message: Buffer): { messageId: number; scope: number; at: number } | undefined {
  const outer = header(message, 0);
  const id = outer && header(message, outer.start);
  if (!id || id.tag !== 0x02 || id.length < 1 || id.length > 4) return undefined;
  const op = header(message, id.start + id.length);
  if (!op || op.tag !== 0x63) return undefined;
  const base = header(message, op.start);
  const scope = base && header(message, base.start + base.length);
  if (!scope || scope.tag !== 0x0a || scope.length !== 1) return undefined;
  return { messageId: message.readUIntBE(id.start, id.length), scope: message[scope.start]!, at: scope.start };
}

/**
 * An AddRequest's message ID and its attributes' types with objectClass's
 * values, as the client wrote them: ldapjs lower-cases both while parsing
 * (python-ldap then finds no 'uidNumber'). Undefined for other operations.
 * The message was checked by ber-check.ts, so every length is sound.
 */
export function addRequestSpelling(message: Buffer): { messageId: number; attributes: Array<{ type: string; objectClasses: string[] }> } | undefined {
  const outer = header(message, 0);
  const id = outer && header(message, outer.start);
  if (!id || id.tag !== 0x02 || id.length < 1 || id.length > 4) return undefined;
  const op = header(message, id.start + id.length);
  if (!op || op.tag !== 0x68) return undefined;
  const entry = header(message, op.start);
  const list = entry && header(message, entry.start + entry.length);
  if (!list) return undefined;
  const attributes: Array<{ type: string; objectClasses: string[] }> = [];
  for (let at = list.start; at < list.start + list.length;) {
    const attribute = header(message, at);
    const type = attribute && header(message, attribute.start);
    const values = type && header(message, type.start + type.length);
    if (!attribute || !type || !values) return undefined;
    const name = message.toString('utf8', type.start, type.start + type.length);
    const objectClasses: string[] = [];
    if (name.toLowerCase() === 'objectclass') {
      for (let v = values.start; v < values.start + values.length;) {
        const value = header(message, v);
        if (!value) return undefined;
        objectClasses.push(message.toString('utf8', value.start, value.start + value.length));
        v = value.start + value.length;
      }
    }
    attributes.push({ type: name, objectClasses });
    at = attribute.start + attribute.length;
  }
  return { messageId: message.readUIntBE(id.start, id.length), attributes };
}

/** A SearchResultDone (RFC 4511 §4.5.2) with `code` and a diagnostic message. */
export function searchDone(messageId: number, code: number, diagnostic: string): Buffer {
  return resultMessage(messageId, 0x65, code, diagnostic);
}

function berLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), berLength(value.length), value]);
}

/** Value bytes of the message ID as a BER INTEGER (IDs are 0 to 2^31 − 1). */
function idValueSize(messageId: number): number {
  let size = 1;
  while (size < 4 && messageId >= 2 ** (8 * size - 1)) size++;
  return size;
}

/** The message ID as a BER INTEGER (IDs are 0 to 2^31 − 1: at most 4 value bytes). */
function messageIdElement(messageId: number): Buffer {
  const size = idValueSize(messageId);
  const id = Buffer.allocUnsafe(2 + size);
  id[0] = 0x02;
  id[1] = size;
  id.writeUIntBE(messageId, 2, size);
  return id;
}

/** Bytes of a BER length field for `n`. */
function lengthSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 5;
}

const tlvSize = (n: number): number => 1 + lengthSize(n) + n;

/** Writes a tag and a definite length at `at`; returns where the value starts. */
function writeHeader(buf: Buffer, at: number, tag: number, n: number): number {
  buf[at++] = tag;
  const size = lengthSize(n);
  if (size === 1) {
    buf[at++] = n;
    return at;
  }
  buf[at++] = 0x80 | (size - 1);
  for (let shift = 8 * (size - 2); shift >= 0; shift -= 8) buf[at++] = Math.floor(n / 2 ** shift) & 0xff;
  return at;
}

/** The sizes of one SearchResultEntry, worked out before it is written (searchResultEntryPlan). */
export interface EntryPlan {
  readonly size: number;
  readonly messageId: number;
  readonly dn: string;
  readonly attrs: Record<string, readonly string[]>;
  readonly names: string[];
  readonly typeBytes: number[];
  readonly valueBytes: number[][];
  readonly setSizes: number[];
  readonly attributeSizes: number[];
  readonly dnBytes: number;
  readonly idSize: number;
  readonly opSize: number;
  readonly listSize: number;
  readonly messageSize: number;
}

/**
 * A SearchResultEntry (RFC 4511 §4.5.2) for `messageId`, planned: every
 * length worked out first, so the message is written in one pass into one
 * buffer (writeSearchResultEntry) — a fresh one, or a batch's (ResponseBatch:
 * a search returning 10,000 entries then allocates and copies no buffer per
 * entry). Encoded here rather than by ldapjs, which parsed every entry's DN
 * again and built an object per attribute: most of a large search's time.
 */
export function searchResultEntryPlan(messageId: number, dn: string, attrs: Record<string, readonly string[]>): EntryPlan {
  const idSize = idValueSize(messageId);
  const dnBytes = Buffer.byteLength(dn, 'utf8');
  const names = Object.keys(attrs);
  const typeBytes = names.map((name) => Buffer.byteLength(name, 'utf8'));
  const valueBytes = names.map((name) => attrs[name]!.map((v) => Buffer.byteLength(v, 'utf8')));
  const setSizes = valueBytes.map((sizes) => sizes.reduce((sum, n) => sum + tlvSize(n), 0));
  const attributeSizes = names.map((_, i) => tlvSize(typeBytes[i]!) + tlvSize(setSizes[i]!));
  const listSize = attributeSizes.reduce((sum, n) => sum + tlvSize(n), 0);
  const opSize = tlvSize(dnBytes) + tlvSize(listSize);
  const messageSize = 2 + idSize + tlvSize(opSize);
  return { size: tlvSize(messageSize), messageId, dn, attrs, names, typeBytes, valueBytes, setSizes, attributeSizes, dnBytes, idSize, opSize, listSize, messageSize };
}

/** Writes a planned SearchResultEntry at `at` of `buf` (plan.size bytes free there); returns where it ends. */
export function writeSearchResultEntry(buf: Buffer, at: number, plan: EntryPlan): number {
  at = writeHeader(buf, at, 0x30, plan.messageSize);
  buf[at++] = 0x02;
  buf[at++] = plan.idSize;
  buf.writeUIntBE(plan.messageId, at, plan.idSize);
  at += plan.idSize;
  at = writeHeader(buf, at, 0x64, plan.opSize);
  at = writeHeader(buf, at, 0x04, plan.dnBytes);
  at += buf.write(plan.dn, at, 'utf8');
  at = writeHeader(buf, at, 0x30, plan.listSize);
  plan.names.forEach((name, i) => {
    at = writeHeader(buf, at, 0x30, plan.attributeSizes[i]!);
    at = writeHeader(buf, at, 0x04, plan.typeBytes[i]!);
    at += buf.write(name, at, 'utf8');
    at = writeHeader(buf, at, 0x31, plan.setSizes[i]!);
    plan.attrs[name]!.forEach((value, j) => {
      at = writeHeader(buf, at, 0x04, plan.valueBytes[i]![j]!);
      at += buf.write(value, at, 'utf8');
    });
  });
  return at;
}

/** A SearchResultEntry (RFC 4511 §4.5.2) for `messageId`, in a buffer of its own. */
export function searchResultEntry(messageId: number, dn: string, attrs: Record<string, readonly string[]>): Buffer {
  const plan = searchResultEntryPlan(messageId, dn, attrs);
  const buf = Buffer.allocUnsafe(plan.size);
  writeSearchResultEntry(buf, 0, plan);
  return buf;
}

/** An LDAPMessage carrying an LDAPResult-shaped response (`appTag`) with `code`, a diagnostic message and `extra` elements after it. */
function resultMessage(messageId: number, appTag: number, code: number, diagnostic: string, extra: Buffer[] = []): Buffer {
  const result = Buffer.concat([tlv(0x0a, Buffer.from([code])), tlv(0x04, Buffer.alloc(0)), tlv(0x04, Buffer.from(diagnostic.slice(0, 1000), 'utf8')), ...extra]);
  return tlv(0x30, Buffer.concat([messageIdElement(messageId), tlv(appTag, result)]));
}

/** A BindResponse (RFC 4511 §4.2.2) with `code` and a diagnostic message. */
export function bindResponse(messageId: number, code: number, diagnostic: string): Buffer {
  return resultMessage(messageId, 0x61, code, diagnostic);
}

/** RFC 4511 §4.4.1 Notice of Disconnection: sent before the server closes a connection it cannot go on with. */
export function noticeOfDisconnection(code: number, diagnostic: string): Buffer {
  return resultMessage(0, 0x78, code, diagnostic, [tlv(0x8a, Buffer.from('1.3.6.1.4.1.1466.20036', 'latin1'))]);
}
