// The status page (the http listener's `/`) as a browser shows it: Debian's
// Chromium, headless, renders it (--dump-dom, --screenshot) after a site was
// killed (-9) and after its regional lost its own parent. The killed site
// must read LOST with how long ago it was heard from and its figures marked
// as a last report; the regional must never call itself lost.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from '../support/cluster';
import { requireTools } from '../support/debian-tools';
import { eventually } from '../support/eventually';

const TOPOLOGY = `
federation: { domain: edge.example., baseDn: 'dc=edge,dc=example' }
nodes:
  - { name: core, tier: core, portOffset: 0 }
  - { name: eu, tier: regional, parents: [core], portOffset: 10 }
  - { name: berlin, tier: site, parents: [eu], portOffset: 30 }
`;

function chromium(args: string[], profile: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', `--user-data-dir=${profile}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`chromium ${args.join(' ')} exited with ${code}: ${err.slice(-500)}`));
    });
  });
}

/** The federation table's rows as the browser rendered them: cell texts, tags stripped. */
function rows(dom: string): string[][] {
  const table = dom.slice(dom.indexOf('Federation as seen from here'));
  return [...table.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) => [...row[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((cell) => cell[1]!.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').trim())).filter((cells) => cells.length > 0);
}

describe('status page in headless Chromium (real processes, kill -9)', function () {
  this.timeout(180_000);
  let dataDir: string;
  let cluster: Cluster;
  let profile: string;

  before(async () => {
    requireTools(['chromium']);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-conf-page-'));
    profile = mkdtempSync(path.join(os.tmpdir(), 'strata-chromium-'));
    cluster = await Cluster.start(dataDir, {
      topology: TOPOLOGY,
      nodeConfig: { link: { heartbeatMs: 200, missedHeartbeats: 3, reconnectInitialMs: 100, reconnectMaxMs: 500, primaryProbeMs: 1000 } },
    });
  });

  after(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  it('shows a killed site as LOST with its age, and a cut-off regional as having no parent link, never as lost itself', async () => {
    const page = `http://${cluster.http.get('eu')!}/`;
    await cluster.kill('berlin');
    await eventually(async () => {
      const view = await cluster.topologyAt('eu');
      assert.equal(view.nodes.find((n) => n.name === 'berlin')?.connected, false);
    }, 10_000, 100);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // so "N s ago" is at least 1

    const dom = await chromium(['--dump-dom', page], profile);
    const table = rows(dom);
    const berlin = table.find((r) => r[0] === 'berlin');
    const eu = table.find((r) => r[0] === 'eu');
    assert.ok(berlin && eu, `rows for eu and berlin in ${JSON.stringify(table)}`);
    assert.match(berlin[2]!, /^LOST: not heard from since \d{4}-\d\d-\d\dT\S+ \(\d+ s ago\)$/, 'the killed site');
    assert.match(berlin[4]!, /^unknown \(last report \d+ s ago\)$/, 'its lag is not "in sync"');
    assert.match(berlin[5]!, /^(last reported \d+ s ago: .+|unknown)$/, 'its clock is a last report, dated');
    assert.match(eu[2]!, /^linked to core$/);

    const shot = path.join(dataDir, 'eu-status.png');
    await chromium([`--screenshot=${shot}`, '--window-size=1200,900', page], profile);
    assert.ok(statSync(shot).size > 2000, 'a screenshot of the page');
    assert.deepEqual([...readFileSync(shot).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');

    await cluster.kill('core');
    await eventually(async () => {
      const self = rows(await chromium(['--dump-dom', page], profile)).find((r) => r[0] === 'eu');
      assert.match(self?.[2] ?? '', /^NO PARENT LINK: serving what it holds$/);
    }, 20_000, 500);
    const cutOff = rows(await chromium(['--dump-dom', page], profile));
    assert.ok(!cutOff.some((r) => r[0] === 'eu' && /LOST/.test(r[2] ?? '')), 'a node never calls itself lost');
    assert.match(cutOff.find((r) => r[0] === 'berlin')?.[2] ?? '', /^LOST: /, 'berlin is still shown lost, with its age');
  });
});
