// A minimal LDAP load client for the directory benchmark: requests encoded
// once as BER, responses only framed and their result code read — so the
// client's own CPU stays small next to the server's, for Strata and slapd
// alike (an ldapjs client would spend more than either server).

import net from 'node:net';
import { BerFramer } from '../src/directory/protocol/ber-frames';

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const value = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), length(value.length), value]);
}

const octets = (s: string): Buffer => tlv(0x04, Buffer.from(s, 'utf8'));
const integer = (n: number): Buffer => tlv(0x02, Buffer.from([n]));
const enumerated = (n: number): Buffer => tlv(0x0a, Buffer.from([n]));

/** BindRequest (simple). */
export function bindOp(dn: string, password: string): Buffer {
  return tlv(0x60, integer(3), octets(dn), tlv(0x80, Buffer.from(password, 'utf8')));
}

/** Filters: equality, and. */
export const filter = {
  eq: (attr: string, value: string): Buffer => tlv(0xa3, octets(attr), octets(value)),
  and: (...filters: Buffer[]): Buffer => tlv(0xa0, ...filters),
};

/** SearchRequest; scope 0 base, 1 one, 2 sub. */
export function searchOp(base: string, scope: number, f: Buffer, attributes: string[]): Buffer {
  return tlv(0x63, octets(base), enumerated(scope), enumerated(0), tlv(0x02, Buffer.from([0])), tlv(0x02, Buffer.from([0])), tlv(0x01, Buffer.from([0])), f, tlv(0x30, ...attributes.map(octets)));
}

export interface Reply {
  code: number;
  entries: number;
}

function messageId(id: number): Buffer {
  const bytes: number[] = [];
  for (let v = id; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  if (bytes.length === 0 || bytes[0]! >= 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

/** One connection; one request at a time. */
export class WireClient {
  private nextId = 1;
  private readonly framer = new BerFramer(64 * 1024 * 1024);
  private waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void; entries: number } | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const message of this.framer.push(chunk)) this.onMessage(message);
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('the server closed the connection')));
  }

  static connect(address: string): Promise<WireClient> {
    const at = address.lastIndexOf(':');
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(address.slice(at + 1)), address.slice(0, at), () => resolve(new WireClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends one operation; resolves with the result code of its final response (and the entries a search returned). */
  request(op: Buffer): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject, entries: 0 };
      this.socket.write(tlv(0x30, messageId(this.nextId++), op));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onMessage(message: Buffer): void {
    const waiting = this.waiting;
    if (!waiting) return;
    let at = message[1]! < 0x80 ? 2 : 2 + (message[1]! & 0x7f);
    at += 2 + message[at + 1]!; // the message ID
    const tag = message[at]!;
    if (tag === 0x64) {
      waiting.entries++;
      return;
    }
    if (tag === 0x73) return; // a search result reference
    at += message[at + 1]! < 0x80 ? 2 : 2 + (message[at + 1]! & 0x7f);
    this.waiting = undefined;
    waiting.resolve({ code: message[at + 2]!, entries: waiting.entries });
  }

  private fail(err: Error): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(err);
  }
}
