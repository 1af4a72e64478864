// RFC 1035 master files as a node takes them in RecordService.ImportZone
// (naming/zones/zone-file.ts parseZoneFile, for the zone the request names).
// Typed: InvalidArgumentError listing the bad lines.

import { parseZoneFile } from '../../../src/naming/zones/zone-file';
import type { Outcome, Target } from '../target';
import { tokens } from '../mutate';

const ZONE = 'berlin.eu.edge.example';

export function zoneFileTarget(): Target {
  return {
    name: 'zone-file',
    entry: 'zone-file parseZoneFile',
    seeds: () => [
      Buffer.from([
        '$ORIGIN berlin.eu.edge.example.',
        '$TTL 1h',
        '@ IN SOA ns.berlin.eu.edge.example. hostmaster.edge.example. ( 7 3600 600',
        '      86400 60 ) ; the SOA is made by the owner',
        'printer     300 IN A     10.0.30.5',
        '            IN AAAA  fd00::5',
        'files       CNAME printer',
        '@           MX    10 mail.berlin.eu.edge.example.',
        'mail        A     10.0.30.6',
        '_ldap._tcp  SRV   0 5 389 ldap',
        'txt         TXT   "v=spf1 -all" "semi;colon \\" quote"',
        'sub         NS    ns.sub',
        'ns.sub      A     10.0.30.7',
        'ptr.berlin.eu.edge.example. PTR printer.berlin.eu.edge.example.',
      ].join('\n')),
      Buffer.from('$TTL 60\r\nwww A 10.0.30.1\r\n\tA 10.0.30.2\r\napi 1w IN TXT ( "multi"\r\n "line" )\r\n'),
    ],
    dictionary: tokens('$ORIGIN ', '$TTL ', '$INCLUDE ', '$GENERATE ', '(', ')', ';', '"', '\\', '\\"', '@', ' IN ', ' CH ', ' SOA ', ' MX ', ' SRV ', ' TXT ', ' CNAME ', ' AAAA ', ' A ', ' NS ', ' PTR ', '1w', '99999999999999999999', '\n', '\t', '.', '..', '*', '\u00e9', '\r\n'),
    maxBytes: 16 * 1024,
    run(input: Buffer): Outcome {
      parseZoneFile(input.toString('utf8'), ZONE, 'fuzz.zone');
      return 'accepted';
    },
  };
}
