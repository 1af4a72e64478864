// Mutual TLS and enrolment (DESIGN §7) with real node processes: every node
// holds a certificate from the core's CA for its own name; links without
// one, with one from another CA, or claiming another name are refused; join
// tokens are one-time, bound to a node and to this federation's CA.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { enrol } from '../../src/federation/client/enrolment-client';
import * as grpc from '@grpc/grpc-js';
import { strataProto } from '../../src/federation/grpc/grpc-adapter';
import { makeJoinToken } from '../../src/federation/enrolment/join-token';
import { SystemClock } from '../../src/kernel/clock';
import { parseHostPort, type HostPort } from '../../src/kernel/host-port';
import { certificateFingerprint, createCa, createCsr, signCsr, verifiedIdentity } from '../../src/kernel/x509';
import { joinTokenFor } from '../../src/node/identity';
import { fetchNodeStatus } from '../../src/federation/client/status-client';
import { Cluster } from '../support/cluster';
import { ApiClient } from '../../src/federation/client/api-client';
import { CLIENT_CHANNEL_OPTIONS, enrolAs, mutualCredentials } from '../support/identity';
import { runStrata } from '../support/strata-cli';

describe('mutual TLS and enrolment (real processes)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let cluster: Cluster;
  const clock = new SystemClock();

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-security-'));
    cluster = await Cluster.start(dataDir);
  });

  after(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Opens a Link with `credentials`, says Hello as `name`; resolves with how the node ended it, or 'open' once the node streams data to it (accepted). */
  async function tryLink(credentials: grpc.ChannelCredentials, name: string, tier = 'site'): Promise<string> {
    const client = new (strataProto().LinkService)(cluster.grpc.get('core')!, credentials, CLIENT_CHANNEL_OPTIONS);
    const call = client.Link();
    const ended = new Promise<string>((resolve) => {
      call.on('error', (err: grpc.ServiceError) => resolve(err.details));
      call.on('end', () => resolve('ended'));
      call.on('data', (message: { close?: { reason: string }; changes?: unknown; snapshotBegin?: unknown }) => {
        if (message.close) resolve(message.close.reason);
        else if (message.changes || message.snapshotBegin) resolve('open'); // a positive signal, not "not refused within N s"
      });
    });
    call.write({ hello: { node: name, tier, cursors: [], subtree: [], ancestors: [], protocolVersion: 1 } });
    const outcome = await Promise.race([ended, clock.sleep(15_000).then(() => 'neither accepted nor refused within 15 s')]);
    call.cancel();
    client.close();
    return outcome;
  }

  it('gives every node a certificate from the core\'s CA for its own name (berlin enrolled through eu)', () => {
    const caPem = readFileSync(path.join(dataDir, 'ca.crt'), 'utf8');
    for (const name of cluster.names()) {
      const cert = readFileSync(path.join(dataDir, name, 'tls', 'node.crt'), 'utf8');
      assert.equal(verifiedIdentity(cert, caPem, Date.now()), name);
    }
    assert.match(readFileSync(path.join(dataDir, 'berlin', 'node.log'), 'utf8'), /enrolled: certificate issued by the federation CA/);
  });

  it('refuses links without a certificate, with one from another CA, or claiming another node\'s name', async () => {
    const caOnly = grpc.credentials.createSsl(Buffer.from(cluster.caPem), null, null, { checkServerIdentity: () => undefined });
    assert.match(await tryLink(caOnly, 'intruder'), /link refused: present a node certificate/);
    assert.match(await tryLink(cluster.tls.credentials(), 'intruder'), /link refused: present a node certificate/, 'an operator certificate is not a node\'s');
    const other = createCa('another CA', Date.now(), 10);
    const { keyPem, csrPem } = createCsr('berlin', ['127.0.0.1']);
    const forged = { caPem: readFileSync(path.join(dataDir, 'ca.crt'), 'utf8'), keyPem, certPem: signCsr(other, csrPem, Date.now(), 10) };
    assert.match(await tryLink(mutualCredentials(forged), 'berlin'), /link refused|ended|CANCELLED/);
    const mallory = await enrolAs(cluster, 'mallory');
    assert.match(await tryLink(mutualCredentials(mallory), 'berlin'), /certificate is for site node mallory, but the link says site node berlin/);
    assert.match(await tryLink(mutualCredentials(mallory), 'mallory', 'regional'), /certificate is for site node mallory, but the link says regional node mallory/, 'the tier comes from the certificate');
    assert.equal(await tryLink(mutualCredentials(mallory), 'mallory'), 'open', 'its own name is accepted');
  });

  it('makes join tokens one-time, bound to one node name and to this federation\'s CA', async () => {
    const core = [{ name: 'core', address: parseHostPort(cluster.grpc.get('core')!) as HostPort }];
    const token = joinTokenFor(path.join(dataDir, 'core'), 'kiosk', { tier: 'site', parents: ['core'] }, 600, clock);
    const identity = await enrol('kiosk', 'site', token, core, ['127.0.0.1'], clock);
    assert.equal(verifiedIdentity(identity.certPem, identity.caPem, Date.now()), 'kiosk');
    await assert.rejects(enrol('kiosk', 'site', token, core, [], clock), /already used/, 'used again with another key');
    const again = await enrol('kiosk', 'site', token, core, ['127.0.0.1'], clock, 5000, identity.keyPem);
    assert.equal(again.certPem, identity.certPem, 'a Join repeated with the same key (its answer lost) gets the same certificate');
    await assert.rejects(enrol('other', 'site', joinTokenFor(path.join(dataDir, 'core'), 'kiosk2', { tier: 'site', parents: ['core'] }, 600, clock), core, [], clock), /the token is for node kiosk2, not other/);
    await assert.rejects(enrol('kiosk6', 'regional', joinTokenFor(path.join(dataDir, 'core'), 'kiosk6', { tier: 'site', parents: ['core'] }, 600, clock), core, [], clock), /the token is for a site node, but kiosk6 is configured as regional/);
    const foreign = makeJoinToken(Buffer.from('not our secret'), { node: 'kiosk3', tier: 'site', parents: ['core'], replace: false, expiresS: Math.floor(Date.now() / 1000) + 600, caFingerprint: certificateFingerprint(identity.caPem) });
    await assert.rejects(enrol('kiosk3', 'site', foreign, core, [], clock), /not made by this federation's core/);
    const otherCa = makeJoinToken(Buffer.from('x'), { node: 'kiosk4', tier: 'site', parents: ['core'], replace: false, expiresS: Math.floor(Date.now() / 1000) + 600, caFingerprint: 'ab'.repeat(32) });
    await assert.rejects(enrol('kiosk4', 'site', otherCa, core, [], clock), /presented a CA with fingerprint .* the token expects abababab/);
    const cli = await runStrata(['join-token', 'kiosk5', '--core-data-dir', path.join(dataDir, 'core'), '--ttl-hours', '1', '--parents', 'eu,core']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout.trim(), /^strata2\.kiosk5\.site\.eu,core\.new\.\d+\.[0-9a-f]{64}\.[0-9a-f]{32}$/);
  });

  it('takes changes through the gRPC API only from operators, and password checks only from nodes', async () => {
    const core = cluster.grpc.get('core')!;
    const caOnly = (): grpc.ChannelCredentials => grpc.credentials.createSsl(Buffer.from(cluster.caPem), null, null, { checkServerIdentity: () => undefined });
    const asNode = await enrolAs(cluster, 'rogue');
    const write = { key: 'motd', value: 'pwned' };
    await assert.rejects(new ApiClient(core, clock, caOnly, 5000).unary('SettingsService', 'SetSetting', write), /needs an operator certificate/);
    await assert.rejects(new ApiClient(core, clock, () => mutualCredentials(asNode), 5000).unary('SettingsService', 'SetSetting', write), /needs an operator certificate .*this caller is node rogue/);
    await assert.rejects(new ApiClient(core, clock, caOnly, 5000).unary('DirectoryService', 'ListEntries', { base: '', includeSecrets: true }), /listing password hashes needs an operator/);
    await assert.rejects(new ApiClient(core, clock, caOnly, 5000).unary('DirectoryService', 'CheckPassword', { dn: 'uid=alice,ou=people,dc=edge,dc=example', password: 'x', hops: 0 }), /for nodes of this federation only/);
    assert.equal((await new ApiClient(core, clock, () => mutualCredentials(asNode), 5000).unary<{ result: string }>('DirectoryService', 'CheckPassword', { dn: 'uid=nobody,ou=people,dc=edge,dc=example', password: 'x', hops: 0 })).result, 'invalid');
    await cluster.api('berlin').setSetting('motd', 'by the operator'); // the test process holds strata up's operator certificate
    const reads = await new ApiClient(core, clock, caOnly, 5000).listSettings();
    assert.ok(reads.settings.length > 0, 'reads need no certificate');
  });

  it('lets a client check it reached the node it meant: certificates are checked by node name', async () => {
    assert.equal((await fetchNodeStatus(cluster.grpc.get('core')!, clock, cluster.tls, 3000, 'core')).name, 'core');
    await assert.rejects(fetchNodeStatus(cluster.grpc.get('core')!, clock, cluster.tls, 3000, 'berlin'), /TLS: the server at \S+ holds the certificate of node core, not of berlin; check --node or --addr/);
  });

  it('serves the CLI over TLS with the CA from --ca or <data-dir>/ca.crt', async () => {
    const withCa = await runStrata(['status', '--addr', cluster.grpc.get('berlin')!, '--ca', path.join(dataDir, 'ca.crt'), '--json']);
    assert.equal(withCa.code, 0, withCa.stderr);
    assert.equal(JSON.parse(withCa.stdout).node, 'berlin');
    const plaintext = await runStrata(['status', '--addr', cluster.grpc.get('berlin')!, '--data-dir', path.join(dataDir, 'nowhere')]);
    assert.notEqual(plaintext.code, 0);
    assert.match(plaintext.stderr, /TLS|--ca/);
  });
});
