// The one file that imports dns2: builds response messages with its Packet
// codec (records, OPT with the Extended DNS Error option, which dns2 does not
// know, so it is registered here), and decodes upstream responses after
// wire.ts has checked them (two of dns2's decoders, EDNS options and CAA, are
// replaced here: they lose their place in the message). dns2's UDP/TCP
// servers are not used: they cannot answer FORMERR for what they fail to
// parse and close TCP after one answer.

import { createRequire } from 'node:module';
import { RR_TYPES, type Rr, type RData } from '../zones/records';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Dns2Packet = any;
const requireDns2 = createRequire(__filename);
const Packet: Dns2Packet = requireDns2('dns2').Packet;

const EDE_CODE = 15;
Packet.EDNS_OPTION_CODE.EDE = EDE_CODE;
Packet.Resource.EDNS.EDE = {
  encode(option: { infoCode: number; text: string }, writer: Dns2Packet) {
    writer.write(option.infoCode, 16);
    for (const byte of Buffer.from(option.text, 'utf8')) writer.write(byte, 8);
  },
  decode(reader: Dns2Packet, length: number) {
    const infoCode = reader.read(16);
    const bytes: number[] = [];
    for (let i = 2; i < length; i++) bytes.push(reader.read(8));
    return { ednsCode: EDE_CODE, infoCode, text: Buffer.from(bytes).toString('utf8') };
  },
};

// dns2 skips an EDNS option it does not know (a cookie, NSID, padding) by that many bits instead of
// octets, and loops on a length that does not add up: this decoder skips octets and stops at the end.
Packet.Resource.EDNS.decode = function (this: Record<string, unknown>, reader: Dns2Packet, length: number) {
  this.type = RR_TYPES.OPT;
  this.class = 512;
  this.ttl = 0;
  const options: unknown[] = (this.rdata = []);
  for (let left = length; left >= 4; ) {
    const code = reader.read(16);
    const optionLength = reader.read(16);
    const decoder = code === EDE_CODE ? Packet.Resource.EDNS.EDE : code === Packet.EDNS_OPTION_CODE.ECS ? Packet.Resource.EDNS.ECS : undefined;
    if (decoder) options.push(decoder.decode(reader, optionLength));
    else reader.offset += optionLength * 8;
    left -= 4 + optionLength;
  }
  return this;
};

// dns2 has no CAA decoder: it throws, skips the record and reads the next one from inside this one's data.
Packet.Resource.CAA.decode = function (this: Record<string, unknown>, reader: Dns2Packet, length: number) {
  reader.offset += length * 8;
  return this;
};

export const EDE = { OTHER: 0, STALE_ANSWER: 3, PROHIBITED: 18, NOT_AUTHORITATIVE: 20, NOT_SUPPORTED: 21, NO_REACHABLE_AUTHORITY: 22, NETWORK_ERROR: 23 } as const;

export interface ResponseEdns {
  payload: number;
  ede?: { code: number; text: string };
}

export interface Response {
  id: number;
  opcode: number;
  rd: boolean;
  ra: boolean;
  aa: boolean;
  tc?: boolean;
  rcode: number;
  question?: { name: string; type: number; class: number };
  answers: Rr[];
  authorities: Rr[];
  additionals: Rr[];
  /** Present when the query had EDNS: an OPT record is echoed. */
  edns?: ResponseEdns;
}

function toResource(rr: Rr): Record<string, unknown> {
  return { name: rr.name, type: RR_TYPES[rr.type], class: 1, ttl: rr.ttl, ...(rr.data as RData) };
}

export function encodeResponse(response: Response): Buffer {
  const packet = new Packet();
  packet.header = {
    id: response.id,
    qr: 1,
    opcode: response.opcode,
    aa: response.aa ? 1 : 0,
    tc: response.tc ? 1 : 0,
    rd: response.rd ? 1 : 0,
    ra: response.ra ? 1 : 0,
    z: 0,
    rcode: response.rcode & 0xf,
  };
  if (response.question) packet.questions.push({ ...response.question });
  packet.answers = response.answers.map(toResource);
  packet.authorities = response.authorities.map(toResource);
  packet.additionals = response.additionals.map(toResource);
  if (response.edns) {
    const options = response.edns.ede ? [{ ednsCode: EDE_CODE, infoCode: response.edns.ede.code, text: response.edns.ede.text }] : [];
    packet.additionals.push({ name: '', type: RR_TYPES.OPT, class: response.edns.payload, ttl: (response.rcode >> 4) << 24, rdata: options });
  }
  return packet.toBuffer() as Buffer;
}

export interface DecodedResponse {
  rcode: number;
  tc: boolean;
  aa: boolean;
  answers: Rr[];
  authorities: Rr[];
  ede?: { code: number; text: string };
}

const TYPE_NAMES = new Map<number, string>(Object.entries(RR_TYPES).map(([name, n]) => [n as number, name]));

/** Decode a response from an upstream (already checked by wire.readResponse). Unknown record types are skipped. */
export function decodeResponse(buf: Buffer): DecodedResponse {
  const packet = Packet.parse(buf);
  const convert = (records: Array<Record<string, unknown>>): Rr[] =>
    records
      .filter((r) => r && TYPE_NAMES.has(r.type as number) && r.type !== RR_TYPES.OPT)
      .map((r) => {
        const { name, type, ttl, ...rest } = r;
        const data = { ...rest };
        delete data.class;
        return { name: String(name).toLowerCase(), type: TYPE_NAMES.get(type as number) as Rr['type'], ttl: Number(ttl), data: data as RData };
      });
  const opt = (packet.additionals as Array<Record<string, unknown>>).find((r) => r && r.type === RR_TYPES.OPT);
  const ede = (opt?.rdata as Array<{ ednsCode: number; infoCode: number; text: string }> | undefined)?.find((o) => o.ednsCode === EDE_CODE);
  return {
    rcode: packet.header.rcode,
    tc: Boolean(packet.header.tc),
    aa: Boolean(packet.header.aa),
    answers: convert(packet.answers),
    authorities: convert(packet.authorities),
    ede: ede ? { code: ede.infoCode, text: ede.text } : undefined,
  };
}

/** A query message for an upstream (with EDNS, RD set). */
export function encodeQuery(id: number, name: string, type: number): Buffer {
  const packet = new Packet();
  packet.header = { id, qr: 0, opcode: 0, aa: 0, tc: 0, rd: 1, ra: 0, z: 0, rcode: 0 };
  packet.questions.push({ name, type, class: 1 });
  packet.additionals.push({ name: '', type: RR_TYPES.OPT, class: 1232, ttl: 0, rdata: [] });
  return packet.toBuffer() as Buffer;
}
