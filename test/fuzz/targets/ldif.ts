// LDIF files as `strata ldif import` reads them (directory/data/ldif.ts
// parseLdif, on the file's text as UTF-8). Typed: InvalidArgumentError
// naming the line.

import { formatLdif, parseLdif } from '../../../src/directory/data/ldif';
import type { Outcome, Target } from '../target';
import { tokens } from '../mutate';

export function ldifTarget(): Target {
  return {
    name: 'ldif',
    entry: 'ldif parseLdif',
    seeds: () => [
      Buffer.from(formatLdif([
        { dn: 'uid=alice,ou=people,dc=edge,dc=example', attrs: { objectClass: ['inetOrgPerson', 'top'], uid: ['alice'], cn: ['Alice Ä. Example'], description: [' starts with a space', 'x'.repeat(200)], userPassword: ['alice-demo'] } },
        { dn: 'cn=staff,ou=groups,dc=edge,dc=example', attrs: { objectClass: ['groupOfNames'], member: ['uid=alice,ou=people,dc=edge,dc=example', 'uid=bob,ou=people,dc=edge,dc=example'] } },
      ])),
      Buffer.from('# exported\nversion: 1\n\ndn: ou=people,dc=edge,dc=example\nchangetype: add\nobjectClass: organizationalUnit\nou: people\n\ndn:: dWlkPWJvYixvdT1wZW9wbGUsZGM9ZWRnZSxkYz1leGFtcGxl\ncn: Bob\n  Builder\nmail: bob@edge.example\r\n\r\n'),
    ],
    dictionary: tokens('dn: ', 'dn:: ', '::', ':<', ': ', '\n ', '\n\n', '\r\n', '#', 'version: 1', 'changetype: modify', 'changetype: add', 'control: 1.2.3', '==', 'file:///etc/passwd', '\u0000', '\uffff', '\ud800'),
    maxBytes: 16 * 1024,
    run(input: Buffer): Outcome {
      parseLdif(input.toString('utf8'), 'fuzz.ldif');
      return 'accepted';
    },
  };
}
