import assert from 'node:assert/strict';
import { InvalidArgumentError } from '../../../src/kernel/errors';
import { parseRdata, recordKey } from '../../../src/naming/zones/records';
import { toRecord } from '../../../src/naming/zones/zone-admin';
import { parseZoneFile } from '../../../src/naming/zones/zone-file';

const ZONE = 'berlin.eu.edge.example';

describe('records and zone files', () => {
  it('parses every managed type, completing relative names with the origin', () => {
    assert.deepEqual(parseRdata('A', '10.0.0.5', ZONE), { address: '10.0.0.5' });
    assert.deepEqual(parseRdata('AAAA', '2001:DB8::1', ZONE), { address: '2001:db8::1' });
    assert.deepEqual(parseRdata('CNAME', 'printer', ZONE), { domain: `printer.${ZONE}` });
    assert.deepEqual(parseRdata('MX', '10 mail.example.org.', ZONE), { priority: 10, exchange: 'mail.example.org' });
    assert.deepEqual(parseRdata('SRV', '0 5 443 api', ZONE), { priority: 0, weight: 5, port: 443, target: `api.${ZONE}` });
    assert.deepEqual(parseRdata('TXT', '"hello world" "and \\"more\\""', ZONE), { data: ['hello world', 'and "more"'] });
    assert.deepEqual(parseRdata('NS', 'ns1', ZONE), { ns: `ns1.${ZONE}` });
    assert.deepEqual(parseRdata('PTR', 'host.example.', ZONE), { domain: 'host.example' });
  });

  it('refuses bad data with the reason', () => {
    assert.match(String(parseRdata('A', '10.0.0.300', ZONE)), /A needs one IPv4 address/);
    assert.match(String(parseRdata('MX', 'mail', ZONE)), /MX needs a preference/);
    assert.match(String(parseRdata('SRV', '0 5 70000 api', ZONE)), /port \(0-65535\), got 70000/);
    assert.match(String(parseRdata('CNAME', 'bad_label!.x.', ZONE)), /may only hold letters/);
    assert.match(String(parseRdata('HINFO', 'x y', ZONE)), /not supported/);
    assert.throws(() => toRecord(ZONE, { name: 'www.other.example.', type: 'A', data: '10.0.0.1' }), /is not in zone berlin\.eu\.edge\.example\./);
    assert.throws(() => toRecord(ZONE, { name: 'www', type: 'A', data: '10.0.0.1', ttl: -5 }), /TTL -5 is out of range/);
  });

  it('keys one record per RRset member, hashing long data', () => {
    assert.equal(recordKey('a.example', 'A', { address: '10.0.0.1' }), 'a.example|A|10.0.0.1');
    assert.match(recordKey('a.example', 'TXT', { data: ['x'.repeat(250)] }), /^a\.example\|TXT\|#[0-9a-f]{64}$/);
  });

  it('imports a master file: $ORIGIN, $TTL, @, blank owners, parentheses, comments; the SOA is skipped', () => {
    const parsed = parseZoneFile(
      [
        '$TTL 1h',
        `$ORIGIN ${ZONE}.`,
        '@ IN SOA ns hostmaster ( 1 2 3 4 5 ) ; made by the owner anyway',
        '@ 300 IN MX 10 mail',
        'mail IN A 10.0.0.25',
        '     IN AAAA 2001:db8::25 ; same owner as the line above',
        'txt TXT "a; not a comment"',
        'www 60 CNAME mail',
      ].join('\n'),
      ZONE,
    );
    const summary = parsed.records.map((r) => `${r.name} ${r.value.ttl} ${r.type}`);
    assert.deepEqual(summary, [`${ZONE} 300 MX`, `mail.${ZONE} 3600 A`, `mail.${ZONE} 3600 AAAA`, `txt.${ZONE} 3600 TXT`, `www.${ZONE} 60 CNAME`]);
    assert.deepEqual(parsed.records[3]!.value.data, { data: ['a; not a comment'] });
  });

  it('refuses a bad file as a whole, naming each bad line and why', () => {
    assert.throws(
      () => parseZoneFile(['good A 10.0.0.1', 'bad A 999.0.0.1', 'worse MX', '$INCLUDE other.zone'].join('\n'), ZONE, 'berlin.zone'),
      (err: unknown) => {
        assert.ok(err instanceof InvalidArgumentError);
        assert.match(err.message, /3 bad line\(s\), nothing imported/);
        assert.match(err.message, /berlin\.zone line 2: .*A needs one IPv4 address/);
        assert.match(err.message, /berlin\.zone line 3: .*MX needs a preference/);
        assert.match(err.message, /berlin\.zone line 4: directive \$INCLUDE is not supported/);
        return true;
      },
    );
  });
});
