// Backup and restore with real processes: `strata backup` of the core while
// it serves, the core killed (-9) and its data dir destroyed, `strata
// restore` into a new data dir, the core started on other ports, its
// children pointed at it. The tree must come back whole: what the core owned
// as of the backup, what the sites own up to now, no replica forking from
// the restored history, the same CA, and no join token from before usable.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse, stringify } from 'yaml';
import { Cluster, CORE_EU_BERLIN } from '../support/cluster';
import { eventually } from '../support/eventually';
import { freeBasePort } from '../support/ports';
import { runStrata } from '../support/strata-cli';
import { enrol } from '../../src/federation/client/enrolment-client';
import { joinTokenFor } from '../../src/node/identity';
import { parseHostPort, type HostPort } from '../../src/kernel/host-port';
import { SystemClock } from '../../src/kernel/clock';

const TOPOLOGY = CORE_EU_BERLIN;

describe('backup and restore of the core (real processes, kill -9)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let cluster: Cluster;
  const clock = new SystemClock();

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-backup-'));
    cluster = await Cluster.start(dataDir, { topology: TOPOLOGY });
  });

  after(async () => {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const addRecord = (name: string): Promise<unknown> => cluster.api('berlin').unary('RecordService', 'AddRecord', { zone: '', name, type: 'A', data: '127.0.30.9', ttl: 60, hasTtl: true });
  const resolvesAt = async (node: string, name: string): Promise<boolean> => {
    const answer = await cluster.api(node).unary<{ answers: unknown[] }>('ResolverService', 'Resolve', { name: `${name}.berlin.eu.edge.example.`, type: 'A' });
    return answer.answers.length > 0;
  };

  it('refuses a backup to a caller without an operator certificate', async () => {
    const result = await runStrata(['backup', '--addr', cluster.grpc.get('core')!, '--ca', path.join(dataDir, 'ca.crt'), '--out', path.join(dataDir, 'nope.tar.gz')]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /a backup .* needs an operator certificate/);
    assert.equal(existsSync(path.join(dataDir, 'nope.tar.gz')), false, 'no file is left behind');
  });

  it('restores the core from a backup on other ports; the tree resyncs with nothing owned below it lost and no forked history', async () => {
    await cluster.api('core').setSetting('before', '1');
    await addRecord('before');
    await eventually(async () => assert.ok(await resolvesAt('core', 'before')), 10_000, 100);
    const unused = joinTokenFor(path.join(dataDir, 'core'), 'kiosk', { tier: 'site', parents: ['core'] }, 600, clock);
    // An operator with a long name: its certificate's path at the core is longer than a plain tar name may be.
    const operator = await runStrata(['operator-cert', `${'o'.repeat(50)}@corp.example`, '--core-data-dir', path.join(dataDir, 'core'), '--out', path.join(dataDir, 'long-operator')]);
    assert.equal(operator.code, 0, operator.stderr);

    const file = path.join(dataDir, 'core-backup.tar.gz');
    const backup = await runStrata(['backup', ...cluster.target('core'), '--out', file]);
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /backup of .* written to .*core-backup\.tar\.gz/);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'the archive holds private keys');
    const listing = execFileSync('tar', ['tzf', file], { encoding: 'utf8' }).split('\n');
    for (const entry of ['strata-backup.json', 'store/data.mdb', 'tls/ca.key', 'tls/ca.crt', 'tls/join.secret']) assert.ok(listing.includes(entry), `tar lists ${entry}: ${listing.join(' ')}`);

    // After the backup: the core changes a setting (lost with the core), berlin adds a record (it owns it: kept).
    await cluster.api('core').setSetting('after', '1');
    await cluster.api('core').setSetting('more', '1');
    await addRecord('after');
    await eventually(async () => {
      assert.equal((await cluster.settings('berlin')).settings['more'], '1');
      assert.ok(await resolvesAt('core', 'after'));
    }, 10_000, 100);
    const caPem = readFileSync(path.join(dataDir, 'core', 'tls', 'ca.crt'), 'utf8');

    const coreConfig = readFileSync(cluster.configFile('core'), 'utf8');
    await cluster.kill('core');
    rmSync(path.join(dataDir, 'core'), { recursive: true, force: true });
    mkdirSync(path.join(dataDir, 'core'));

    const restoredDir = path.join(dataDir, 'core-restored');
    const damaged = path.join(dataDir, 'damaged.tar.gz');
    writeFileSync(damaged, readFileSync(file).subarray(0, Math.floor(statSync(file).size / 2)));
    const bad = await runStrata(['restore', damaged, '--data-dir', restoredDir]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /not a complete Strata backup/);
    assert.equal(existsSync(path.join(restoredDir, 'store')), false, 'a damaged archive leaves nothing');

    const restore = await runStrata(['restore', file, '--data-dir', restoredDir]);
    assert.equal(restore.code, 0, restore.stderr);
    assert.match(restore.stdout, /restored core core .* into/);
    const again = await runStrata(['restore', file, '--data-dir', restoredDir]);
    assert.match(again.stderr, /already holds a node/, 'never over a node');

    // The core on another block of ports, from the restored data dir; its children told its new address.
    const base = await freeBasePort();
    const config = parse(coreConfig) as { dataDir: string; listen: Record<string, string> };
    config.dataDir = restoredDir;
    const offsets: Record<string, number> = { grpc: 0, dns: 1, ntp: 2, ldap: 3, http: 4, ldaps: 5 };
    for (const key of Object.keys(config.listen)) config.listen[key] = `127.0.0.1:${base + (offsets[key] ?? 6)}`;
    writeFileSync(cluster.configFile('core'), stringify(config));
    cluster.grpc.set('core', config.listen['grpc']!);
    for (const child of ['eu', 'berlin']) {
      const childConfig = parse(readFileSync(cluster.configFile(child), 'utf8')) as { parents: Array<{ name: string; address: string }> };
      for (const parent of childConfig.parents) if (parent.name === 'core') parent.address = config.listen['grpc']!;
      writeFileSync(cluster.configFile(child), stringify(childConfig));
    }
    await cluster.startNode('core');
    // Written before any child links again: the restored core's seqs pass the ones its replicas hold for other changes.
    for (const key of ['r1', 'r2', 'r3']) await cluster.api('core').setSetting(key, 'yes');
    for (const child of ['eu', 'berlin']) {
      await cluster.kill(child);
      await cluster.startNode(child);
    }
    await cluster.waitLinked();

    assert.equal(readFileSync(path.join(restoredDir, 'tls', 'ca.crt'), 'utf8'), caPem, 'the same CA: every enrolled node is still trusted');
    assert.ok(existsSync(path.join(restoredDir, 'tls', 'issued', 'operators', `${'o'.repeat(50)}@corp.example`)), 'the long-named operator\'s certificate came back');
    await eventually(async () => {
      const core = await cluster.settings('core');
      assert.equal(core.settings['before'], '1', 'what the core owned as of the backup');
      assert.equal(core.settings['after'], undefined, 'changes the core made after the backup are gone');
      for (const node of ['eu', 'berlin']) assert.deepEqual(await cluster.settings(node), core, `${node} holds exactly the restored core's settings (no forked history)`);
      assert.ok(await resolvesAt('core', 'before'));
      assert.ok(await resolvesAt('core', 'after'), 'a record berlin added after the backup comes back from berlin');
    }, 20_000, 200);

    assert.equal((await cluster.settings('berlin')).settings['r3'], 'yes', 'writes made at the restored core reach the sites');

    // A join token made before the restore is refused (the restored core has a new join secret).
    const core = [{ name: 'core', address: parseHostPort(cluster.grpc.get('core')!) as HostPort }];
    await assert.rejects(enrol('kiosk', 'site', unused, core, ['127.0.0.1'], clock), /not made by this federation's core/);
    assert.match(readFileSync(path.join(dataDir, 'core', 'node.log'), 'utf8'), /first start after a restore/);
  });
});
