// DNS responses from an upstream or a parent, as naming/forwarding/upstream.ts takes
// them: wire.checkResponse first, and dns2's decoder only for what it
// accepted. A refusal from checkResponse is the documented result
// ('rejected'); dns2 throwing on a response that passed the check is a finding.

import { decodeResponse } from '../../../src/naming/server/dns2-adapter';
import { checkResponse } from '../../../src/naming/server/wire';
import type { Outcome, Target } from '../target';
import { dnsLengthFields, dnsResponses } from './dns-seeds';

export function dnsResponseTarget(): Target {
  return {
    name: 'dns-response',
    entry: 'wire.checkResponse, then dns2-adapter decodeResponse',
    seeds: dnsResponses,
    lengthFields: dnsLengthFields,
    maxBytes: 65535,
    run(input: Buffer): Outcome {
      const id = input.length >= 2 ? input.readUInt16BE(0) : 0;
      if (checkResponse(input, id) !== undefined) return 'rejected';
      decodeResponse(input);
      return 'accepted';
    },
  };
}
