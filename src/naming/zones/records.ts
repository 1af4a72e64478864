// Resource records as Strata stores and serves them: the types we manage,
// their data (the field names dns2 encodes), parsing from zone-file text
// ("MX 10 mail"), canonical text, and the key under which a record lives in
// its zone's dataset. No I/O.

import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { canonical, checkName } from './names';

export const RR_TYPES = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, AXFR: 252, ANY: 255 } as const;
export type RrTypeName = 'A' | 'AAAA' | 'CNAME' | 'TXT' | 'SRV' | 'MX' | 'PTR' | 'NS' | 'SOA';
export const MANAGED_TYPES: readonly RrTypeName[] = ['A', 'AAAA', 'CNAME', 'TXT', 'SRV', 'MX', 'PTR', 'NS'];

export type RData =
  | { address: string }
  | { domain: string }
  | { ns: string }
  | { exchange: string; priority: number }
  | { data: string[] }
  | { priority: number; weight: number; port: number; target: string }
  | { primary: string; admin: string; serial: number; refresh: number; retry: number; expiration: number; minimum: number };

/** One record as served: owner name canonical, type by name. */
export interface Rr {
  name: string;
  type: RrTypeName;
  ttl: number;
  data: RData;
}

/** What a zone dataset stores under a record key. */
export interface StoredRecord {
  ttl: number;
  data: RData;
}

export const DEFAULT_TTL_S = 300;
export const MAX_TTL_S = 604_800;

export function typeNumber(type: RrTypeName): number {
  return RR_TYPES[type];
}

export function typeName(type: number): RrTypeName | undefined {
  const entry = Object.entries(RR_TYPES).find(([, n]) => n === type);
  return entry && (MANAGED_TYPES as readonly string[]).concat('SOA').includes(entry[0]) ? (entry[0] as RrTypeName) : undefined;
}

const MAX_KEY_RDATA = 200;

/**
 * Dataset key: "<name>|<TYPE>|<rdata text>", so one RRset is one key prefix.
 * Long data (big TXT) is keyed by its hash instead, to fit the store's key limit.
 */
export function recordKey(name: string, type: RrTypeName, data: RData): string {
  const text = rdataText(type, data);
  const id = Buffer.byteLength(text) <= MAX_KEY_RDATA ? text : `#${createHash('sha256').update(text).digest('hex')}`;
  return `${name}|${type}|${id}`;
}

export function rrsetPrefix(name: string, type?: RrTypeName): string {
  return type ? `${name}|${type}|` : `${name}|`;
}

export function parseRecordKey(key: string): { name: string; type: RrTypeName } {
  const [name, type] = key.split('|');
  return { name: name!, type: type as RrTypeName };
}

/**
 * Parse record data as written in a zone file after the type, e.g. "10 mail"
 * for MX. `origin` completes relative names. Returns the data or an error text.
 */
export function parseRdata(type: string, text: string, origin: string): RData | string {
  const fields = tokenize(text);
  const name = (s: string | undefined): string | undefined => {
    if (s === undefined) return undefined;
    if (s === '@') return origin;
    return s.endsWith('.') ? canonical(s) : canonical(origin ? `${s}.${origin}` : s);
  };
  const needName = (s: string | undefined, what: string): string => {
    const n = name(s);
    if (n === undefined) throw new Error(`${type} needs ${what}`);
    const problem = checkName(n);
    if (problem) throw new Error(problem);
    return n;
  };
  const needInt = (s: string | undefined, what: string, max: number): number => {
    const n = Number(s);
    if (s === undefined || !Number.isInteger(n) || n < 0 || n > max) throw new Error(`${type} needs ${what} (0-${max}), got ${s ?? 'nothing'}`);
    return n;
  };
  try {
    switch (type.toUpperCase()) {
      case 'A':
        if (fields.length !== 1 || !isIPv4(fields[0]!)) throw new Error(`A needs one IPv4 address, got "${text}"`);
        return { address: fields[0]! };
      case 'AAAA':
        if (fields.length !== 1 || !isIPv6(fields[0]!)) throw new Error(`AAAA needs one IPv6 address, got "${text}"`);
        return { address: fields[0]!.toLowerCase() };
      case 'CNAME':
      case 'PTR':
        return { domain: needName(fields[0], 'a target name') };
      case 'NS':
        return { ns: needName(fields[0], 'a name server name') };
      case 'MX':
        return { priority: needInt(fields[0], 'a preference', 65535), exchange: needName(fields[1], 'a mail exchanger name') };
      case 'SRV':
        return { priority: needInt(fields[0], 'a priority', 65535), weight: needInt(fields[1], 'a weight', 65535), port: needInt(fields[2], 'a port', 65535), target: needName(fields[3], 'a target name') };
      case 'TXT':
        if (fields.length === 0) throw new Error('TXT needs at least one string');
        for (const f of fields) if (Buffer.byteLength(f) > 255) throw new Error('a TXT string is longer than 255 octets; split it into several quoted strings');
        return { data: fields };
      default:
        return `record type ${type} is not supported; use one of ${MANAGED_TYPES.join(', ')}`;
    }
  } catch (err) {
    return (err as Error).message;
  }
}

/** Zone-file text of the data (inverse of parseRdata with absolute names). */
export function rdataText(type: RrTypeName, data: RData): string {
  const d = data as Record<string, unknown>;
  const abs = (n: unknown): string => `${String(n)}.`;
  switch (type) {
    case 'A':
    case 'AAAA':
      return String(d.address);
    case 'CNAME':
    case 'PTR':
      return abs(d.domain);
    case 'NS':
      return abs(d.ns);
    case 'MX':
      return `${d.priority} ${abs(d.exchange)}`;
    case 'SRV':
      return `${d.priority} ${d.weight} ${d.port} ${abs(d.target)}`;
    case 'TXT':
      return (d.data as string[]).map((s) => JSON.stringify(s)).join(' ');
    case 'SOA':
      return `${abs(d.primary)} ${abs(d.admin)} ${d.serial} ${d.refresh} ${d.retry} ${d.expiration} ${d.minimum}`;
  }
}

/** Splits on blanks, keeping "quoted strings" (with \" escapes) whole. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}
