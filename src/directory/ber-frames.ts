// Splits an LDAP byte stream into whole BER messages before ldapjs sees them
// (RFC 4511 §5.1: each LDAPMessage is one SEQUENCE with a definite length).
// ldapjs's parser asserts (and so crashes the process) on some malformed
// input and buffers garbage without bound; this framer refuses both: a
// first byte other than SEQUENCE, an indefinite or over-long length, or a
// message larger than the limit is an error and the connection is closed.

import { InvalidArgumentError } from '../kernel/errors';

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
