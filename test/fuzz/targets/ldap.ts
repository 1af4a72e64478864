// LDAP bytes as directory/protocol/ldapjs-adapter.ts takes them from a connection:
// BerFramer cuts the stream into messages, checkLdapMessage walks every
// nested length, fastRequestOf decodes simple binds and searches without
// controls (answered without ldapjs), bindRequestOf picks out binds, and only messages that
// passed reach ldapjs's own parser (one Parser per input, as ldapjs keeps one
// per connection, with 'message' and 'error' listened to). Typed errors: the
// framer's and the check's InvalidArgumentError (the adapter answers them
// with a Notice of Disconnection). 'rejected': an incomplete message (the
// framer waits for more), or ldapjs's parser emitting 'error' (its server
// logs it). A throw out of Parser.write is a finding.

import { checkLdapMessage } from '../../../src/directory/protocol/ber-check';
import { addRequestSpelling, BerFramer, bindRequestOf, searchScopeOf } from '../../../src/directory/protocol/ber-frames';
import { fastRequestOf } from '../../../src/directory/protocol/ber-requests';
import type { Outcome, Target } from '../target';
import { tokens } from '../mutate';
import { berLengthFields, ldapRequests } from './ldap-seeds';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Parser = require('ldapjs/lib/messages/parser.js') as new () => NodeJS.EventEmitter & { write(b: Buffer): boolean };

export function ldapTarget(): Target {
  return {
    name: 'ldap',
    entry: 'BerFramer.push, checkLdapMessage, fastRequestOf, bindRequestOf, searchScopeOf (children rewritten as the adapter does), addRequestSpelling, ldapjs Parser.write',
    seeds: ldapRequests,
    lengthFields: berLengthFields,
    dictionary: [
      ...tokens('1.2.840.113556.1.4.319', '1.3.6.1.4.1.4203.1.11.1', '1.3.6.1.1.8', '2.16.840.1.113730.3.4.9', '1.2.840.113556.1.4.473'),
      Buffer.from([0x30, 0x80]), Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), Buffer.from([0x02, 0x00]), Buffer.from([0x04, 0x81, 0x7f]), Buffer.from([0xa0, 0x00]), Buffer.from([0x01, 0x01, 0xff]), Buffer.from([0x0a, 0x01, 0x05]), Buffer.from([0x0a, 0x01, 0x03]), Buffer.from([0x0a, 0x01, 0x07]),
    ],
    maxBytes: 16 * 1024,
    run(input: Buffer): Outcome {
      const messages = new BerFramer().push(input);
      if (messages.length === 0) return 'rejected';
      // One parser for the input, as ldapjs keeps one per connection.
      const parser = new Parser();
      let failed = false;
      parser.on('error', () => (failed = true));
      parser.on('message', () => undefined);
      for (const message of messages) {
        checkLdapMessage(message);
        // What the adapter reads from the raw request before ldapjs does (ldapjs-adapter.ts deliver()).
        if (fastRequestOf(message)) continue; // served without ldapjs
        const search = searchScopeOf(message);
        if (search && search.scope > 3) continue; // answered protocolError without ldapjs
        if (search?.scope === 3) message[search.at] = 2;
        addRequestSpelling(message);
        if (!bindRequestOf(message)?.sasl) parser.write(message);
      }
      return failed ? 'rejected' : 'accepted';
    },
  };
}
