// NTP datagrams as time/ntp-server.ts takes them: answerRequest's checks, and for a
// client request the reply written back with the request's version, poll
// and transmit timestamp echoed. 'rejected': malformed or not mode 3
// (dropped and counted by the server).

import { MODE, readPacket, writePacket } from '../../../src/time/ntp-packet';
import { answerRequest } from '../../../src/time/ntp-server';
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
    entry: 'ntp-server answerRequest (the checks, the reply and its timestamps): what the NTP worker and the in-thread server run',
    seeds: ntpSeeds,
    maxBytes: 1024,
    run(input: Buffer): Outcome {
      const view = { leap: 0, stratum: 3, refId: Buffer.from('LOCL'), rootDelayS: 0.001, rootDispersionS: 0.002, referenceNs: NOW_NS, servedAt: (h: bigint) => h };
      const { reply } = answerRequest(input, NOW_NS, view, () => NOW_NS);
      if (!reply) return 'rejected';
      if (readPacket(reply, NOW_NS).kind !== 'packet') throw new Error('the reply to an accepted request does not parse');
      return 'accepted';
    },
  };
}
