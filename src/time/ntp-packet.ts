// The NTPv4 packet header (RFC 5905 §7.3): 48 octets, no extension fields or
// MAC read. Timestamps are kept as nanoseconds since the Unix epoch (bigint)
// and converted to and from the 64-bit NTP format (seconds since 1900 in
// era 0, 32-bit fraction) only here; short-format fields (root delay and
// dispersion) are seconds as numbers.

export const NTP_HEADER_OCTETS = 48;
export const MODE = { CLIENT: 3, SERVER: 4 } as const;
export const LEAP_UNSYNCHRONIZED = 3;
export const STRATUM_UNSYNCHRONIZED = 16;

/** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
const NTP_UNIX_OFFSET_S = 2_208_988_800n;
const NS_PER_S = 1_000_000_000n;
const TWO_32 = 4_294_967_296n;

export interface NtpPacket {
  leap: number;
  version: number;
  mode: number;
  stratum: number;
  /** log2 seconds. */
  poll: number;
  /** log2 seconds. */
  precision: number;
  /** Seconds. */
  rootDelay: number;
  /** Seconds. */
  rootDispersion: number;
  /** Four octets: an ASCII code at stratum 0/1, else the source's IPv4 address (or hash). */
  refId: Buffer;
  /** Unix nanoseconds (0n: not set). */
  reference: bigint;
  origin: bigint;
  receive: bigint;
  transmit: bigint;
  /** The transmit timestamp exactly as sent, for the reply's origin field (RFC 5905 §8). */
  transmitRaw: bigint;
  /** The origin timestamp exactly as received, to match a reply to its request. */
  originRaw: bigint;
}

export type ReadResult = { kind: 'packet'; packet: NtpPacket } | { kind: 'malformed'; reason: string };

/** Unix ns → 64-bit NTP timestamp (era 0 wraps in 2036; the era is implied, as on the wire). */
export function toNtpTimestamp(unixNs: bigint): bigint {
  if (unixNs === 0n) return 0n;
  const seconds = unixNs / NS_PER_S + NTP_UNIX_OFFSET_S;
  const fraction = ((unixNs % NS_PER_S) * TWO_32) / NS_PER_S;
  return ((seconds % TWO_32) << 32n) | fraction;
}

/**
 * Writes toNtpTimestamp(unixNs) at `offset` with one bigint subtraction instead of bigint divisions (the NTP
 * server writes two or three per reply): a whole second near the last one written is kept, and the rest is
 * exact in doubles — the nanoseconds within a second times 2^23 are below 2^53, and 2^32 / 10^9 = 2^23 / 1953125.
 */
export function writeNtpTimestamp(buf: Buffer, offset: number, unixNs: bigint): void {
  let within = Number(unixNs - near.secondNs);
  if (!(within > 0 && within < NEAR_SPAN_NS)) {
    // (0n, "not set", is never within: it is written as 0, as toNtpTimestamp does; so is a whole second, harmlessly.)
    if (unixNs <= 0n) {
      buf.writeBigUInt64BE(BigInt.asUintN(64, toNtpTimestamp(unixNs)), offset);
      return;
    }
    near.secondNs = unixNs - (unixNs % NS_PER_S);
    near.ntpSeconds = Number(near.secondNs / NS_PER_S + NTP_UNIX_OFFSET_S);
    within = Number(unixNs - near.secondNs);
  }
  const seconds = Math.floor(within / 1e9);
  const scaled = (within - seconds * 1e9) * 8_388_608; // 2^23
  let fraction = Math.floor(scaled / 1_953_125);
  if (fraction * 1_953_125 > scaled) fraction--; // the division rounded up to the next integer
  buf.writeUInt32BE((near.ntpSeconds + seconds) % 4_294_967_296, offset);
  buf.writeUInt32BE(fraction, offset + 4);
}

/** A whole second (Unix ns) and its NTP seconds, for writeNtpTimestamp; re-taken when a time is not within NEAR_SPAN_NS after it. */
const near = { secondNs: 0n, ntpSeconds: Number(NTP_UNIX_OFFSET_S) };
const NEAR_SPAN_NS = 2 ** 50;

/** 64-bit NTP timestamp → Unix ns, taking the era nearest to `nearUnixNs` (RFC 5905 §6). */
export function fromNtpTimestamp(ntp: bigint, nearUnixNs: bigint): bigint {
  if (ntp === 0n) return 0n;
  const seconds = ntp >> 32n;
  const fraction = ntp & 0xffffffffn;
  const nearSeconds = nearUnixNs / NS_PER_S + NTP_UNIX_OFFSET_S;
  const era = nearSeconds / TWO_32;
  let best = era * TWO_32 + seconds;
  for (const candidate of [best - TWO_32, best + TWO_32]) {
    if (abs(candidate - nearSeconds) < abs(best - nearSeconds)) best = candidate;
  }
  return (best - NTP_UNIX_OFFSET_S) * NS_PER_S + (fraction * NS_PER_S) / TWO_32;
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

/** NTP short format (16.16 s), rounded up as chrony does: a root delay or dispersion is a bound, never understated (a few µs would be 0). */
export function toShort(seconds: number): number {
  return Math.min(0xffffffff, Math.max(0, Math.ceil(seconds * 65536)));
}

export function readPacket(buf: Buffer, nearUnixNs: bigint): ReadResult {
  if (buf.length < NTP_HEADER_OCTETS) return { kind: 'malformed', reason: `${buf.length} octets, shorter than an NTP header (48)` };
  const first = buf[0]!;
  const version = (first >> 3) & 0x7;
  if (version < 1 || version > 4) return { kind: 'malformed', reason: `version ${version} is not NTP 1–4` };
  const transmitRaw = buf.readBigUInt64BE(40);
  const originRaw = buf.readBigUInt64BE(24);
  return {
    kind: 'packet',
    packet: {
      leap: first >> 6,
      version,
      mode: first & 0x7,
      stratum: buf[1]!,
      poll: buf.readInt8(2),
      precision: buf.readInt8(3),
      rootDelay: buf.readUInt32BE(4) / 65536,
      rootDispersion: buf.readUInt32BE(8) / 65536,
      refId: Buffer.from(buf.subarray(12, 16)),
      reference: fromNtpTimestamp(buf.readBigUInt64BE(16), nearUnixNs),
      origin: fromNtpTimestamp(originRaw, nearUnixNs),
      receive: fromNtpTimestamp(buf.readBigUInt64BE(32), nearUnixNs),
      transmit: fromNtpTimestamp(transmitRaw, nearUnixNs),
      transmitRaw,
      originRaw,
    },
  };
}

/** Encodes a header; `originRaw`, when given, is written as is (the client's transmit field, echoed). */
export function writePacket(p: Omit<NtpPacket, 'transmitRaw' | 'originRaw' | 'origin'> & { origin?: bigint; originRaw?: bigint }): Buffer {
  const buf = Buffer.alloc(NTP_HEADER_OCTETS);
  buf[0] = ((p.leap & 0x3) << 6) | ((p.version & 0x7) << 3) | (p.mode & 0x7);
  buf[1] = p.stratum;
  buf.writeInt8(Math.max(-128, Math.min(127, p.poll)), 2);
  buf.writeInt8(p.precision, 3);
  buf.writeUInt32BE(toShort(p.rootDelay), 4);
  buf.writeUInt32BE(toShort(p.rootDispersion), 8);
  p.refId.copy(buf, 12, 0, 4);
  buf.writeBigUInt64BE(toNtpTimestamp(p.reference), 16);
  buf.writeBigUInt64BE(p.originRaw ?? toNtpTimestamp(p.origin ?? 0n), 24);
  buf.writeBigUInt64BE(toNtpTimestamp(p.receive), 32);
  buf.writeBigUInt64BE(toNtpTimestamp(p.transmit), 40);
  return buf;
}

/** The reference ID of a source at stratum ≥ 2: its IPv4 address (RFC 5905 §7.3; IPv6: first octets of an MD5, left to the caller). */
export function refIdOfIPv4(address: string): Buffer {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts.every((n) => n >= 0 && n <= 255) ? Buffer.from(parts) : Buffer.from('XFAC', 'ascii');
}
