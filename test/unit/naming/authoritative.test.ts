import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeClock } from '../../../src/kernel/clock';
import { AuthoritativeHandler } from '../../../src/naming/zones/authoritative';
import { delegationMutations, toRecord } from '../../../src/naming/zones/zone-admin';
import { zoneDataset, Zones } from '../../../src/naming/zones/zones';
import { Store } from '../../../src/store';

const A = 1;
const NS = 2;
const AAAA = 28;
const recursive = { rd: true, recursionAllowed: true };
const iterative = { rd: false, recursionAllowed: true };

describe('authoritative answers from held zones', () => {
  let dir: string;
  let store: Store;
  let zones: Zones;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-auth-'));
    store = await Store.open({ dir, nodeName: 'eu', clock: new FakeClock() });
    for (const zone of ['edge.example', 'eu.edge.example']) await store.createDataset(zoneDataset(zone));
    const put = (zone: string, name: string, type: string, data: string) => {
      const r = toRecord(zone, { name, type, data });
      return { op: 'put' as const, key: r.key, value: r.value };
    };
    await store.write(zoneDataset('edge.example'), [put('edge.example', 'www', 'A', '192.0.2.1'), put('edge.example', 'alias', 'CNAME', 'gateway.eu.edge.example.'), ...delegationMutations('us.edge.example', '192.0.2.53')]);
    await store.write(zoneDataset('eu.edge.example'), [put('eu.edge.example', 'gateway', 'A', '192.0.2.2'), put('eu.edge.example', 'host.lab', 'A', '192.0.2.3')]);
    zones = new Zones(store);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers an RRset authoritatively from the deepest held zone', () => {
    const answer = new AuthoritativeHandler(zones).resolve({ name: 'gateway.eu.edge.example', type: A }, recursive)!;
    assert.equal(answer.aa, true);
    assert.deepEqual(answer.answers.map((r) => (r.data as { address: string }).address), ['192.0.2.2']);
  });

  it('chases a CNAME into another held zone', () => {
    const answer = new AuthoritativeHandler(zones).resolve({ name: 'alias.edge.example', type: A }, recursive)!;
    assert.deepEqual(answer.answers.map((r) => r.type), ['CNAME', 'A']);
  });

  it('tells NODATA (name exists, also as an empty non-terminal) from NXDOMAIN, with the zone SOA', () => {
    const handler = new AuthoritativeHandler(zones);
    const nodata = handler.resolve({ name: 'gateway.eu.edge.example', type: AAAA }, recursive)!;
    assert.deepEqual([nodata.rcode, nodata.answers.length, nodata.authorities[0]?.type, nodata.authorities[0]?.name], [0, 0, 'SOA', 'eu.edge.example']);
    const ent = handler.resolve({ name: 'lab.eu.edge.example', type: A }, recursive)!;
    assert.equal(ent.rcode, 0, 'an empty non-terminal is NODATA');
    const nx = handler.resolve({ name: 'nothing.eu.edge.example', type: A }, recursive)!;
    assert.deepEqual([nx.rcode, nx.aa], [3, true]);
  });

  it('refers below a cut it does not hold; a recursive client is passed on to the forwarder, except at the core', () => {
    const referral = new AuthoritativeHandler(zones).resolve({ name: 'printer.nyc.us.edge.example', type: A }, iterative)!;
    assert.deepEqual([referral.aa, referral.authorities[0]?.type, referral.additionals[0]?.type], [false, 'NS', 'A']);
    assert.equal(new AuthoritativeHandler(zones).resolve({ name: 'printer.nyc.us.edge.example', type: A }, recursive), undefined);
    assert.equal(new AuthoritativeHandler(zones, true).resolve({ name: 'printer.nyc.us.edge.example', type: A }, recursive)?.authorities[0]?.type, 'NS');
    assert.equal(new AuthoritativeHandler(zones).resolve({ name: 'us.edge.example', type: NS }, iterative)?.authorities[0]?.type, 'NS');
  });

  it('passes on names outside every held zone', () => {
    assert.equal(new AuthoritativeHandler(zones).resolve({ name: 'www.example.com', type: A }, recursive), undefined);
  });
});
