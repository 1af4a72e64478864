// NTP datagrams as time/ntp-server.ts takes them: readPacket, and for a
// client request the reply written back with the request's version, poll
// and transmit timestamp echoed. 'rejected': malformed or not mode 3
// (dropped and counted by the server).

import { MODE, readPacket, writePacket } from '../../../src/time/ntp-packet';
import type { Outcome, Target } from '../target';

/** A fixed "now" (2026-01-01) so runs are reproducible. */
const NOW_NS = 1_767_225_600_000_000_000n;

export function ntpSeeds(): Buffer[] {
  const client = (version: number, poll: number, transmit: bigint): Buffer =>
    writePacket({ leap: 0, version, mode: MODE.CLIENT, stratum: 0, poll, precision: -20, rootDelay: 0, rootDispersion: 0, refId: Buffer.alloc(4), reference: 0n, receive: 0n, transmit });
  const server = writePacket({ leap: 0, version: 4, mode: MODE.SERVER, stratum: 2, poll: 6, precision: -20, rootDelay: 0.01, rootDispersion: 0.02, refId: Buffer.from([127, 0, 0, 1]), reference: NOW_NS - 1_000_000_000n, origin: NOW_NS - 5_000_000n, receive: NOW_NS - 2_000_000n, transmit: NOW_NS });
  return [client(4, 6, NOW_NS), client(3, 10, NOW_NS + 123_456_789n), client(1, -6, 0n), server, Buffer.concat([client(4, 17, NOW_NS), Buffer.alloc(20, 0xaa)])];
}

export function ntpTarget(): Target {
  return {
    name: 'ntp',
    entry: 'ntp-packet readPacket, writePacket (the server reply)',
    seeds: ntpSeeds,
    maxBytes: 1024,
    run(input: Buffer): Outcome {
      const read = readPacket(input, NOW_NS);
      if (read.kind === 'malformed' || read.packet.mode !== MODE.CLIENT) return 'rejected';
      const request = read.packet;
      writePacket({ leap: 0, version: request.version, mode: MODE.SERVER, stratum: 3, poll: request.poll, precision: -20, rootDelay: 0.001, rootDispersion: 0.002, refId: Buffer.from('LOCL'), reference: NOW_NS, originRaw: request.transmitRaw, receive: NOW_NS, transmit: NOW_NS });
      return 'accepted';
    },
  };
}
