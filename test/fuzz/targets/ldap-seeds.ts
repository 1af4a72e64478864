// Valid LDAP requests for the LDAP fuzz target and the live fuzz, encoded
// by ldapjs's own request classes (what real clients send), plus a few
// built by hand for what ldapjs cannot encode (a SASL bind, a BER-valued
// extended request), and where their BER length octets sit.

import ldap from 'ldapjs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const lib = ldap as any;

function tlv(tag: number, value: Buffer): Buffer {
  const len = value.length < 0x80 ? Buffer.from([value.length]) : value.length < 0x100 ? Buffer.from([0x81, value.length]) : Buffer.from([0x82, value.length >> 8, value.length & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, value]);
}

const str = (tag: number, text: string): Buffer => tlv(tag, Buffer.from(text, 'utf8'));
const message = (id: number, op: Buffer, controls?: Buffer): Buffer => tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([id])), op, ...(controls ? [controls] : [])]));
const ber = (request: { toBer(): { buffer: Buffer } }): Buffer => Buffer.from(request.toBer().buffer);

const BASE = 'dc=edge,dc=example';
const BOB = `uid=bob,ou=people,${BASE}`;

export function ldapRequests(): Buffer[] {
  const attribute = (type: string, values: string[]): unknown => new lib.Attribute({ type, values });
  const search = (id: number, baseObject: string, scope: string, filter: string, extra: Record<string, unknown> = {}): Buffer => ber(new lib.SearchRequest({ messageId: id, baseObject, scope, filter, ...extra }));
  const seeds = [
    ber(new lib.BindRequest({ messageId: 1, name: `cn=admin,${BASE}`, credentials: 'admin-demo' })),
    ber(new lib.BindRequest({ messageId: 1 })),
    search(2, '', 'base', '(objectClass=*)', { attributes: ['+', 'namingContexts', 'supportedControl'] }),
    search(3, `ou=people,${BASE}`, 'sub', '(&(uid=bob)(|(cn=a*b*c)(mail=*))(!(cn=x)))', { attributes: ['cn', 'mail', 'memberOf'], sizeLimit: 10, timeLimit: 5, controls: [new lib.PagedResultsControl({ value: { size: 5 } })] }),
    search(4, BASE, 'one', '(|(cn>=a)(cn<=z)(cn~=bob)(cn:caseExactMatch:=Bob))', { typesOnly: true }),
    ber(new lib.AddRequest({ messageId: 5, entry: `cn=x,${BASE}`, attributes: [attribute('objectClass', ['person', 'top']), attribute('cn', ['x']), attribute('sn', ['y'])] })),
    ber(new lib.ModifyRequest({ messageId: 6, object: BOB, changes: [new lib.Change({ operation: 'replace', modification: attribute('mail', ['b@x']) }), new lib.Change({ operation: 'delete', modification: attribute('description', []) })] })),
    ber(new lib.ModifyDNRequest({ messageId: 7, entry: BOB, newRdn: 'uid=rob', deleteOldRdn: true, newSuperior: `ou=staff,${BASE}` })),
    ber(new lib.DeleteRequest({ messageId: 8, entry: BOB })),
    ber(new lib.CompareRequest({ messageId: 9, entry: BOB, attribute: 'cn', value: 'Bob' })),
    ber(new lib.ExtendedRequest({ messageId: 10, requestName: '1.3.6.1.4.1.4203.1.11.3' })),
    ber(new lib.AbandonRequest({ messageId: 11, abandonId: 3 })),
    ber(new lib.UnbindRequest({ messageId: 12 })),
    // SASL bind (authentication choice [3]): answered by the adapter, never given to ldapjs.
    message(13, tlv(0x60, Buffer.concat([tlv(0x02, Buffer.from([3])), str(0x04, ''), tlv(0xa3, str(0x04, 'EXTERNAL'))]))),
    // Password modify (RFC 3062) with its BER value: userIdentity, oldPasswd, newPasswd.
    message(14, tlv(0x77, Buffer.concat([str(0x80, '1.3.6.1.4.1.4203.1.11.1'), tlv(0x81, tlv(0x30, Buffer.concat([str(0x80, BOB), str(0x81, 'bob-demo'), str(0x82, 'new')])))]))),
    // Cancel (RFC 3909) with its BER value.
    message(15, tlv(0x77, Buffer.concat([str(0x80, '1.3.6.1.1.8'), tlv(0x81, tlv(0x30, tlv(0x02, Buffer.from([3]))))]))),
  ];
  // A filter nested 20 deep, and two requests in one chunk (pipelined).
  let filter = '(cn=x)';
  for (let i = 0; i < 20; i++) filter = `(!${filter})`;
  seeds.push(search(16, BASE, 'sub', filter));
  seeds.push(Buffer.concat([seeds[1]!, seeds[2]!]));
  return seeds;
}

/** Offsets of every BER length octet found by walking `buf` leniently (into constructed elements). */
export function berLengthFields(buf: Buffer): number[] {
  const out: number[] = [];
  const walk = (start: number, end: number, depth: number): void => {
    let at = start;
    while (at + 1 < end && out.length < 256) {
      const tag = buf[at]!;
      const first = buf[at + 1]!;
      out.push(at + 1);
      let length = first;
      let header = 2;
      if (first >= 0x80) {
        const octets = first & 0x7f;
        if (octets === 0 || octets > 4 || at + 2 + octets > end) return;
        length = buf.readUIntBE(at + 2, octets);
        header = 2 + octets;
        for (let i = 0; i < octets; i++) out.push(at + 2 + i);
      }
      const valueEnd = at + header + length;
      if (valueEnd > end) return;
      if (tag & 0x20 && depth < 32) walk(at + header, valueEnd, depth + 1);
      // The BER inside OCTET STRING values that ldapjs decodes (control and extended values).
      else if ((tag === 0x04 || tag === 0x81) && length > 2 && buf[at + header] === 0x30 && depth < 32) walk(at + header, valueEnd, depth + 1);
      at = valueEnd;
    }
  };
  walk(0, buf.length, 0);
  return out;
}
