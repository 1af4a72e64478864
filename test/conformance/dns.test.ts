// DNS conformance with real clients from Debian packages: dig (bind9-dnsutils)
// and kdig (knot-dnsutils), over UDP and TCP, against a federation of real
// node processes with the demo data loaded.

import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadDemoData, startDemoBackends } from '../../src/cli/up/demo-data';
import { SystemClock } from '../../src/kernel/clock';
import { Cluster } from '../support/cluster';
import { requireTools } from '../support/debian-tools';
import { eventually } from '../support/eventually';
import { startUnbound } from '../support/unbound';

const run = promisify(execFile);

/** unbound as a recursive resolver with `stub` (addr@port) for edge.example and strict QNAME minimisation. */
function startStrictResolver(dir: string, port: number, stub: string): { port: number; process: ChildProcess } {
  const server = ['  do-not-query-localhost: no', '  module-config: "iterator"', '  qname-minimisation: yes', '  qname-minimisation-strict: yes', '  harden-below-nxdomain: yes', '  domain-insecure: "edge.example."', '  local-zone: "edge.example." nodefault'];
  return { port, process: startUnbound(dir, port, server, ['stub-zone:', '  name: "edge.example."', `  stub-addr: ${stub}`], 'unbound-strict.conf') };
}

describe('DNS conformance (dig, kdig)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let cluster: Cluster;
  let backends: http.Server[] = [];
  let host: string;
  let port: string;

  before(async () => {
    requireTools(['dig', 'kdig']);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-conf-dns-'));
    cluster = await Cluster.start(dataDir, { nodeConfig: { dns: { transferTo: ['127.0.0.1'], recursionFrom: ['127.0.0.1/32'] } } });
    backends = await startDemoBackends(cluster.basePort + 90);
    await loadDemoData(cluster.endpoints(), cluster.basePort + 90, new SystemClock(), cluster.tls);
    [host, port] = cluster.dns.get('berlin')!.split(':') as [string, string];
    await cluster.api('berlin').unary('RecordService', 'AddRecord', { zone: '', name: 'big', type: 'TXT', data: Array.from({ length: 12 }, (_, i) => `"${i}${"x".repeat(200)}"`).join(' '), ttl: 60, hasTtl: true });
    await eventually(async () => assert.match(await dig(['api.svc.edge.example', '+short']), /127\.0\.30\.1/), 15_000, 200);
  });

  after(async () => {
    for (const b of backends) b.close();
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function dig(args: string[]): Promise<string> {
    return (await run('dig', [`@${host}`, '-p', port, '+time=3', '+tries=1', ...args])).stdout;
  }

  async function kdig(args: string[]): Promise<string> {
    return (await run('kdig', [`@${host}`, '-p', port, '+time=3', '+retry=0', ...args])).stdout;
  }

  for (const transport of ['udp', 'tcp'] as const) {
    it(`dig over ${transport}: an authoritative answer with EDNS echoed (udp 1232)`, async () => {
      const out = await dig(['printer.berlin.eu.edge.example', 'A', ...(transport === 'tcp' ? ['+tcp'] : [])]);
      assert.match(out, /status: NOERROR/);
      assert.match(out, /flags: qr aa rd ra;/);
      assert.match(out, /EDNS: version: 0, flags:; udp: 1232/);
      assert.match(out, /printer\.berlin\.eu\.edge\.example\.\s+60\s+IN\s+A\s+127\.0\.30\.20/);
    });

    it(`kdig over ${transport}: service answers with a short TTL, and SRV`, async () => {
      const extra = transport === 'tcp' ? ['+tcp'] : [];
      const a = await kdig(['api.svc.edge.example', 'A', ...extra]);
      assert.match(a, /status: NOERROR/);
      assert.match(a, /api\.svc\.edge\.example\.\s+5\s+IN\s+A\s+127\.0\.30\.1/);
      const srv = await kdig(['_api._tcp.svc.edge.example', 'SRV', ...extra]);
      assert.match(srv, /SRV\s+0 1 \d+ api\.svc\.berlin\.eu\.edge\.example\./);
    });
  }

  it('preserves the question case (0x20)', async () => {
    const out = await dig(['PrInTeR.BeRlIn.eu.EDGE.example', 'A', '+noall', '+question', '+answer']);
    assert.match(out, /;PrInTeR\.BeRlIn\.eu\.EDGE\.example\.\s+IN\s+A/);
    assert.match(out, /^PrInTeR\.BeRlIn\.eu\.EDGE\.example\.\s+60\s+IN\s+A\s+127\.0\.30\.20/m);
  });

  it('tells NXDOMAIN from NODATA, with the SOA in authority', async () => {
    const nx = await dig(['nothing.berlin.eu.edge.example', 'A']);
    assert.match(nx, /status: NXDOMAIN/);
    assert.match(nx, /AUTHORITY SECTION:\nberlin\.eu\.edge\.example\.\s+30\s+IN\s+SOA\s+ns\.berlin\.eu\.edge\.example\./);
    const nodata = await dig(['printer.berlin.eu.edge.example', 'AAAA']);
    assert.match(nodata, /status: NOERROR/);
    assert.match(nodata, /ANSWER: 0, AUTHORITY: 1/);
  });

  it('answers the empty non-terminals above service names NOERROR/NODATA with the SOA (RFC 8020), and unknown services NXDOMAIN', async () => {
    for (const [name, type] of [['svc.edge.example', 'A'], ['_tcp.svc.edge.example', 'SRV'], ['svc.berlin.eu.edge.example', 'A']]) {
      const out = await dig([name!, type!]);
      assert.match(out, /status: NOERROR/, `${name} ${type}:\n${out}`);
      assert.match(out, /ANSWER: 0,/, `${name} ${type}:\n${out}`);
      assert.match(out, /AUTHORITY SECTION:\n\S*edge\.example\.\s+\d+\s+IN\s+SOA/, `${name} ${type}:\n${out}`);
    }
    assert.match(await dig(['nosuch.svc.edge.example', 'A']), /status: NXDOMAIN/);
  });

  it('unbound as a resolver in strict qname-minimisation mode (RFC 8020 NXDOMAIN cut) resolves service names through Strata', async () => {
    requireTools(['unbound']);
    const resolver = startStrictResolver(dataDir, cluster.basePort + 97, `${host}@${port}`); // a free port of the cluster's block
    try {
      const ask = async (args: string[]): Promise<string> => (await run('dig', ['@127.0.0.1', '-p', String(resolver.port), '+time=5', '+tries=1', ...args])).stdout;
      await eventually(async () => assert.match(await ask(['printer.berlin.eu.edge.example', 'A', '+short']), /127\.0\.30\.20/), 10_000, 200);
      // Minimised, unbound asks svc.edge.example and _tcp.svc.edge.example first: an NXDOMAIN there would end it.
      assert.match(await ask(['api.svc.edge.example', 'A', '+short']), /127\.0\.30\.1/);
      assert.match(await ask(['_api._tcp.svc.edge.example', 'SRV', '+short']), /0 1 \d+ api\.svc\.berlin\.eu\.edge\.example\./);
      assert.match(await ask(['api.svc.berlin.eu.edge.example', 'A', '+short']), /127\.0\.30\.1/);
    } finally {
      resolver.process.kill();
    }
  });

  it('chases a CNAME within held zones', async () => {
    const out = await dig(['files.berlin.eu.edge.example', 'A', '+noall', '+answer']);
    assert.match(out, /files\.berlin\.eu\.edge\.example\.\s+60\s+IN\s+CNAME\s+printer\.berlin\.eu\.edge\.example\./);
    assert.match(out, /printer\.berlin\.eu\.edge\.example\.\s+60\s+IN\s+A\s+127\.0\.30\.20/);
  });

  it('sets TC over UDP for an answer larger than the payload, and answers in full over TCP', async () => {
    const udp = await dig(['big.berlin.eu.edge.example', 'TXT', '+ignore']);
    assert.match(udp, /flags: qr aa tc rd ra;/);
    const tcp = await dig(['big.berlin.eu.edge.example', 'TXT', '+tcp']);
    assert.match(tcp, /ANSWER: 1,/);
    assert.match(tcp, /"11xxxxxx/);
  });

  it('answers NOTIMP for an opcode it does not implement', async () => {
    const out = await dig(['+opcode=update', 'berlin.eu.edge.example', 'SOA']);
    assert.match(out, /status: NOTIMP/);
  });

  it('transfers a held zone over TCP to a configured secondary, and refuses everyone else', async () => {
    const axfr = await dig(['berlin.eu.edge.example', 'AXFR']);
    const soas = axfr.match(/IN\s+SOA/g) ?? [];
    assert.equal(soas.length, 2, 'AXFR starts and ends with the SOA');
    assert.match(axfr, /printer\.berlin\.eu\.edge\.example\.\s+60\s+IN\s+A\s+127\.0\.30\.20/);
    const refused = await run('dig', [`@${host}`, '-p', port, '-b', '127.0.0.2', '+time=3', '+tries=1', 'berlin.eu.edge.example', 'AXFR']).then((r) => r.stdout);
    assert.match(refused, /Transfer failed|REFUSED/);
  });

  it('offers recursion only to configured client networks (REFUSED with EDE 18, or a referral, otherwise)', async () => {
    const outside = await run('dig', [`@${host}`, '-p', port, '-b', '127.0.0.3', '+time=3', '+tries=1', 'www.example.com', 'A']).then((r) => r.stdout);
    assert.match(outside, /status: REFUSED/);
    assert.match(outside, /EDE: 18 \(Prohibited\)/);
    // The us delegation reaches berlin (in the core's zone) moments after us links: wait for it.
    await eventually(async () => {
      const below = await run('dig', [`@${host}`, '-p', port, '-b', '127.0.0.3', '+time=3', '+tries=1', 'printer.nyc.us.edge.example', 'A']).then((r) => r.stdout);
      assert.match(below, /flags: qr rd;/, `no recursion available, not authoritative:\n${below}`);
      assert.match(below, /AUTHORITY SECTION:\nus\.edge\.example\.\s+\d+\s+IN\s+NS\s+ns\.us\.edge\.example\./, `a referral to the zone below the cut:\n${below}`);
    }, 10_000, 200);
    const allowed = await dig(['printer.nyc.us.edge.example', 'A', '+short']);
    assert.match(allowed, /127\.0\.50\.20/);
  });
});
