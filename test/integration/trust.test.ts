// The trust model (DESIGN §7) with real processes, attacked as a thief of one
// site's keys would: berlin's node key and certificate, copied off its disk,
// link only under the parents the core placed berlin, never twice at once,
// and carry only berlin's own data; a name cannot be enrolled twice without
// --replace (which revokes the old certificate); `strata revoke` shuts a
// node or an operator out of every link and call.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '../../src/federation/client/api-client';
import { enrol } from '../../src/federation/client/enrolment-client';
import * as grpc from '@grpc/grpc-js';
import { strataProto, type NodeIdentity } from '../../src/federation/grpc/grpc-adapter';
import { makeJoinToken } from '../../src/federation/enrolment/join-token';
import { SystemClock } from '../../src/kernel/clock';
import { parseHostPort, type HostPort } from '../../src/kernel/host-port';
import { certificateFingerprint } from '../../src/kernel/x509';
import { fetchNodeStatus } from '../../src/federation/client/status-client';
import { renewRequest } from '../../src/federation/enrolment/renewal';
import { signOperatorCall } from '../../src/federation/enrolment/operator-proof';
import { canonicalRequest } from '../../src/federation/grpc/grpc-adapter';
import { Cluster } from '../support/cluster';
import { eventually } from '../support/eventually';
import { CLIENT_CHANNEL_OPTIONS, enrolAs, mutualCredentials } from '../support/identity';
import { runStrata } from '../support/strata-cli';

/** What became of a link: 'accepted' once the parent streams data to it, else the reason it was closed. */
interface LinkProbe {
  outcome: Promise<string>;
  ended: Promise<string>;
  send(message: Record<string, unknown>): void;
  /** Sends a WriteRequest; resolves with the owner's answer ('ok' or its error). */
  write(request: Record<string, unknown>): Promise<string>;
  close(): void;
}

const BASE = 'dc=edge,dc=example';

describe('trust boundaries: what one site\'s stolen keys can do (real processes)', function () {
  this.timeout(180_000);
  let dataDir: string;
  let cluster: Cluster;
  const clock = new SystemClock();
  const probes: LinkProbe[] = [];

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-trust-'));
    // As an estate with sites in shops should: the directory admin's password hash stays at the core.
    // berlin renews its certificate at once (renewBeforeDays longer than any certificate lives).
    cluster = await Cluster.start(dataDir, {
      perNode: { core: { directory: { credentialPolicy: [{ subtree: `cn=admin,${BASE}`, lowestTier: 'core' }] } }, berlin: { security: { renewBeforeDays: 100_000 } } },
    });
    await eventually(() => assert.match(readFileSync(path.join(dataDir, 'berlin', 'node.log'), 'utf8'), /certificate renewed/), 20_000, 100);
    await cluster.waitLinked();
  });

  afterEach(() => {
    for (const probe of probes.splice(0)) probe.close();
  });

  after(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function stolen(node: string): NodeIdentity {
    const tls = path.join(dataDir, node, 'tls');
    return { caPem: cluster.caPem, keyPem: readFileSync(path.join(tls, 'node.key'), 'utf8'), certPem: readFileSync(path.join(tls, 'node.crt'), 'utf8') };
  }

  function link(target: string, identity: NodeIdentity, node: string, tier = 'site', hello: Record<string, unknown> = {}): LinkProbe {
    const client = new (strataProto().LinkService)(cluster.grpc.get(target)!, mutualCredentials(identity), CLIENT_CHANNEL_OPTIONS);
    const call = client.Link();
    let closeReason: (reason: string) => void = () => undefined;
    const ended = new Promise<string>((resolve) => (closeReason = resolve));
    let accepted: () => void = () => undefined;
    const streamed = new Promise<string>((resolve) => (accepted = () => resolve('accepted')));
    call.on('error', (err: grpc.ServiceError) => closeReason(err.details));
    call.on('end', () => closeReason('ended'));
    const answers = new Map<number, (answer: string) => void>();
    call.on('data', (message: { close?: { reason: string }; changes?: unknown; snapshotBegin?: unknown; writeResult?: { id: number; errorCode: string; errorMessage: string } }) => {
      if (message.close) closeReason(message.close.reason);
      else if (message.changes || message.snapshotBegin) accepted();
      else if (message.writeResult) answers.get(Number(message.writeResult.id))?.(message.writeResult.errorCode ? `${message.writeResult.errorCode}: ${message.writeResult.errorMessage}` : 'ok');
    });
    let nextId = 1;
    call.write({ hello: { node, tier, cursors: [], subtree: [], ancestors: [], protocolVersion: 1, ...hello } });
    const probe: LinkProbe = {
      outcome: Promise.race([streamed, ended]),
      ended,
      send: (message) => call.write(message),
      write: (request) => {
        const id = nextId++;
        const answer = new Promise<string>((resolve) => answers.set(id, resolve));
        call.write({ writeRequest: { id, origin: node, hops: 1, timeoutMs: 5000, ownerHint: '', ...request } });
        return Promise.race([answer, ended]);
      },
      close: () => {
        call.cancel();
        client.close();
      },
    };
    probes.push(probe);
    return probe;
  }

  const change = (dataset: string, owner: string): Record<string, unknown> => ({
    changes: { dataset, owner, epoch: 'forged', headSeq: 1, changes: [{ seq: 1, op: 'put', key: 'www|A', value: Buffer.from(JSON.stringify({ ttl: 60, data: ['192.0.2.66'] })), timeMs: Date.now() }] },
  });

  it('renews certificates over the tree before they expire: the new one links, the old one is revoked', async () => {
    // berlin renewed itself at start (through eu, signed by the core) and is linked again with its new certificate.
    assert.equal(await link('core', stolen('berlin'), 'berlin').outcome, 'accepted');
    // The protocol, by hand: a renewal signed with the current key gets a new certificate and revokes the old one.
    const old = await enrolAs(cluster, 'kiosk4');
    const { keyPem, request } = renewRequest(old, 'kiosk4', ['127.0.0.1']);
    const renewed = await new ApiClient(cluster.grpc.get('eu')!, clock, cluster.tls).unary<{ certPem: string }>('EnrolmentService', 'Renew', { ...request, hops: 0 });
    const fresh = { caPem: cluster.caPem, keyPem, certPem: renewed.certPem };
    assert.equal(await link('core', fresh, 'kiosk4').outcome, 'accepted');
    await eventually(async () => assert.match(await link('core', old, 'kiosk4').outcome, /was revoked at .*: renewed/), 5000, 100);
    await assert.rejects(new ApiClient(cluster.grpc.get('core')!, clock, cluster.tls).unary('EnrolmentService', 'Renew', { ...renewRequest(old, 'kiosk4', []).request, hops: 0 }), /renewal for kiosk4 refused: its certificate was revoked/);
  });

  it('links a site\'s certificate only under the parents the core placed it (its certificate says where)', async () => {
    const berlin = stolen('berlin');
    for (const target of ['paris', 'us']) {
      const outcome = await link(target, berlin, 'berlin').outcome;
      assert.match(outcome, new RegExp(`places it under eu, core, not under ${target}`), `${target}: ${outcome}\n${cluster.logTail(target, 6)}`);
    }
  });

  it('refuses a second live link for a name: the first holds', async () => {
    await cluster.waitLinked();
    assert.match(await link('eu', stolen('berlin'), 'berlin').outcome, /node berlin is linked here already/);
    const view = await cluster.topologyAt('eu');
    assert.ok(view.nodes.find((n) => n.name === 'berlin')?.connected, 'the real berlin is still linked');
  });

  it('accepts from below only what the sender may own, and closes the link that tries more', async () => {
    const berlin = stolen('berlin');
    // core is one of berlin's (fallback) parents, and the real berlin is linked to eu: the thief gets in.
    const attempts: Array<[string, string, RegExp]> = [
      ['zone:com.', 'berlin', /node berlin cannot own a dataset of that name/],
      [`dir:ou=paris,ou=sites,${BASE}`, 'berlin', /node berlin cannot own a dataset of that name|it is owned by paris here, the peer says berlin/],
      ['settings', 'berlin', /refused settings: it is owned by core here, the peer says berlin/],
      [`dir:ou=paris,ou=sites,${BASE}`, 'paris', /paris is linked here directly|paris is not placed under berlin/],
      ['zone:edge.example.', 'core', /refused zone:edge\.example\.: it is owned by core here/],
    ];
    for (const [dataset, owner, refusal] of attempts) {
      const probe = link('core', berlin, 'berlin');
      assert.equal(await probe.outcome, 'accepted', `linked to send ${dataset}`);
      probe.send(change(dataset, owner));
      const reason = await probe.ended;
      assert.match(reason, refusal, `${dataset}: ${reason}\n${cluster.logTail('core', 6)}`);
    }
    const held = await fetchNodeStatus(cluster.grpc.get('core')!, clock, cluster.tls, 5000, 'core');
    assert.equal(held.datasets.find((d) => d.name === 'zone:com.'), undefined, 'no zone:com. at the core');
    assert.equal(held.datasets.find((d) => d.name === `dir:ou=paris,ou=sites,${BASE}`)?.owner, 'paris', `held at the core: ${held.datasets.map((d) => d.name).join(' ')}\n${cluster.logTail('paris', 6)}`);
    assert.equal(held.datasets.find((d) => d.name === 'settings')?.owner, 'core');
  });

  it('applies a write forwarded by a node only under the identity of who asked for it, checked by the owner', async () => {
    const probe = link('core', stolen('berlin'), 'berlin');
    assert.equal(await probe.outcome, 'accepted');
    const mallory = [{ op: 'put', key: `dc=example,dc=edge,ou=people,uid=mallory`, value: Buffer.from(JSON.stringify({ dn: `uid=mallory,ou=people,${BASE}`, attrs: { objectClass: ['inetOrgPerson'], uid: ['mallory'], cn: ['Mallory'], sn: ['M'] } })), expect: '' }];
    const setting = [{ op: 'put', key: 'motd', value: Buffer.from('"pwned"'), expect: '' }];
    // No principal at all: "a node asked" is not a reason.
    assert.match(await probe.write({ dataset: 'settings', mutations: setting }), /PERMISSION_DENIED: .*does not say who asked for it/);
    assert.match(await probe.write({ dataset: `dir:${BASE}`, mutations: mallory }), /PERMISSION_DENIED: .*does not say who asked for it/);
    // A principal the site is not trusted with (the admin's hash stays at the core), with no ticket.
    assert.match(await probe.write({ dataset: `dir:${BASE}`, mutations: mallory, principal: { directory: { dn: `cn=admin,${BASE}` } } }), /not trusted with the password of cn=admin.*brings no ticket/);
    // A principal it is trusted with, doing what that principal may not.
    assert.match(await probe.write({ dataset: `dir:${BASE}`, mutations: mallory, principal: { directory: { dn: `uid=alice,ou=people,${BASE}` } } }), /uid=alice,ou=people,dc=edge,dc=example may not change uid=mallory/);
    // Someone else's origin.
    assert.match(await probe.write({ dataset: `dir:${BASE}`, mutations: mallory, origin: 'eu', principal: { directory: { dn: `uid=alice,ou=people,${BASE}` } } }), /as coming from eu, which is not placed under it/);
    // An operator's call it cannot sign.
    const forged = { certPem: readFileSync(path.join(dataDir, 'operator.crt'), 'utf8'), method: '/strata.v1.SettingsService/SetSetting', request: Buffer.from('0a046d6f7464120570776e6564', 'hex'), timeMs: Date.now(), nonce: 'n1', signature: Buffer.alloc(256, 1) };
    assert.match(await probe.write({ dataset: 'settings', mutations: setting, principal: { operator: forged } }), /signature of operator:strata-up does not match the request/);
    await assert.rejects(cluster.api('core').getSetting('motd'), /not set/);
    const people = await new ApiClient(cluster.grpc.get('core')!, clock, cluster.tls).unary<{ entries: unknown[] }>('DirectoryService', 'ListEntries', { base: `uid=mallory,ou=people,${BASE}`, includeSecrets: false });
    assert.deepEqual(people.entries, []);
    // An LDAP identity writes directory entries only: not the certificate registry, not the credential policy.
    const revokeEu = [{ op: 'put', key: 'revoked/ABCDEF', value: Buffer.from(JSON.stringify({ name: 'eu', revokedAtMs: 1, reason: 'x' })), expect: '' }];
    assert.match(await probe.write({ dataset: 'pki', mutations: revokeEu, principal: { directory: { dn: `uid=alice,ou=people,${BASE}` } } }), /LDAP identities write only directory entries/);
    const policy = [{ op: 'put', key: ';credentialPolicy', value: Buffer.from('[]'), expect: '' }];
    assert.match(await probe.write({ dataset: `dir:${BASE}`, mutations: policy, principal: { directory: { dn: `uid=alice,ou=people,${BASE}` } } }), /record ;credentialPolicy is not a directory entry/);
    // A real operator's call to berlin that leaves the zone to default ("berlin's own") cannot be replayed into another zone.
    const operator = { key: readFileSync(path.join(dataDir, 'operator.key'), 'utf8'), certPem: readFileSync(path.join(dataDir, 'operator.crt'), 'utf8') };
    const addRecord = (strataProto() as unknown as { RecordService: { service: Record<string, grpc.MethodDefinition<unknown, unknown>> } }).RecordService.service['AddRecord']!;
    const defaulted = signOperatorCall(operator, addRecord.path, canonicalRequest(addRecord, { zone: '', name: 'web', type: 'A', data: '192.0.2.80', ttl: 60, hasTtl: true }), Date.now());
    assert.match(await probe.write({ dataset: 'zone:paris.eu.edge.example.', mutations: [], principal: { operator: defaulted } }), /a forwarded call must name its zone/);
    // The real thing works through the same site: an operator's signed call, and LDAP as alice for her own password.
    const set = await runStrata(['settings', 'set', 'motd', 'by the operator', ...cluster.target('berlin')]);
    assert.equal(set.code, 0, `strata settings set through berlin: ${set.stdout}${set.stderr}\n${cluster.logTail('berlin', 6)}`);
    assert.equal((await cluster.api('core').getSetting('motd')).value, 'by the operator');
  });

  it('lets a child speak only for the nodes placed under it: routing and delegations are not its to claim', async () => {
    await enrolAs(cluster, 'kiosk9'); // placed under the core, not linked anywhere
    const probe = link('core', stolen('berlin'), 'berlin', 'site', { subtree: ['paris', 'eu', 'core', 'kiosk9'], zone: 'www.edge.example.', dnsAddress: '127.0.0.1:53' });
    assert.equal(await probe.outcome, 'accepted');
    // A write for kiosk9 is not routed to the thief that claimed it (it would swallow it).
    await assert.rejects(
      cluster.api('core').unary('ServiceRegistry', 'RegisterInstance', { service: 'api', node: 'kiosk9', address: '192.0.2.9', port: 80, check: 'ttl', ttlMs: 10_000 }),
      (err: Error) => /kiosk9/.test(err.message) && !/through child|berlin/.test(err.message),
    );
    // Writes for paris still reach paris, not the thief that claimed it.
    const added = await cluster.api('core').unary<{ owner: string }>('RecordService', 'AddRecord', { zone: 'paris.eu.edge.example.', name: 'h1', type: 'A', data: '192.0.2.1', ttl: 60, hasTtl: true });
    assert.equal(added.owner, 'paris');
    // And the core's zone does not delegate www to it.
    const records = await cluster.api('core').unary<{ records: Array<{ name: string; type: string }> }>('RecordService', 'ListRecords', { zone: 'edge.example.' });
    assert.deepEqual(records.records.filter((r) => r.name === 'www.edge.example.'), []);
  });

  it('keeps the region linked while a thief speaks for one of its sites at the core, and delivers the site\'s changes once the thief is gone', async () => {
    const coreLog = (): string => readFileSync(path.join(dataDir, 'core', 'node.log'), 'utf8');
    const probe = link('core', stolen('berlin'), 'berlin');
    assert.equal(await probe.outcome, 'accepted');
    const beat = setInterval(() => probe.send({ heartbeat: { sentMs: Date.now(), upstreamConnected: true } }), 300); // a thief keeps its link alive
    try {
      const endedBefore = coreLog().split('\n').filter((l) => l.includes('"child":"eu"') && l.includes('child link ended')).length;
      // The real berlin changes its zone; eu relays it up, and the core refuses it: berlin speaks for itself there.
      await cluster.api('berlin').unary('RecordService', 'AddRecord', { zone: 'berlin.eu.edge.example.', name: 'thief-test', type: 'A', data: '192.0.2.77', ttl: 60, hasTtl: true });
      await eventually(() => assert.match(coreLog(), /"peer":"eu","dataset":"zone:berlin\.eu\.edge\.example\.".*refused a dataset from a peer/), 10_000, 100);
      // Past the grace after which another refusal closes the link (2 s): eu stays linked, its region reachable.
      await clock.sleep(3000);
      const ended = coreLog().split('\n').filter((l) => l.includes('"child":"eu"') && l.includes('child link ended'));
      assert.equal(ended.length, endedBefore, `eu's link was closed while the thief was linked:\n${ended.slice(-2).join('\n')}`);
      const added = await cluster.api('core').unary<{ owner: string }>('RecordService', 'AddRecord', { zone: 'paris.eu.edge.example.', name: 'h2', type: 'A', data: '192.0.2.2', ttl: 60, hasTtl: true });
      assert.equal(added.owner, 'paris');
      // Once the thief's link ends, eu offers berlin's change again and the core takes it.
      probe.close();
      await eventually(async () => {
        const records = await cluster.api('core').unary<{ records: Array<{ name: string }> }>('RecordService', 'ListRecords', { zone: 'berlin.eu.edge.example.' });
        assert.ok(records.records.some((r) => r.name.startsWith('thief-test')), records.records.map((r) => r.name).join(' '));
      }, 20_000, 200);
    } finally {
      clearInterval(beat);
    }
  });

  it('refuses a join token for an enrolled name unless --replace, which revokes the old certificate', async () => {
    const coreDir = path.join(dataDir, 'core');
    const cli = await runStrata(['join-token', 'berlin', '--parents', 'eu,core', '--core-data-dir', coreDir]);
    assert.notEqual(cli.code, 0);
    assert.match(cli.stderr, /node berlin is enrolled already .*--replace/);
    const core = [{ name: 'core', address: parseHostPort(cluster.grpc.get('core')!) as HostPort }];
    const first = await enrolAs(cluster, 'kiosk');
    // A second token minted for the name before the first was used (bypassing the CLI's check): the core refuses it.
    const secret = Buffer.from(readFileSync(path.join(coreDir, 'tls', 'join.secret'), 'utf8').trim(), 'hex');
    const second = makeJoinToken(secret, { node: 'kiosk', tier: 'site', parents: ['core'], replace: false, expiresS: Math.floor(Date.now() / 1000) + 900, caFingerprint: certificateFingerprint(cluster.caPem) });
    await assert.rejects(enrol('kiosk', 'site', second, core, ['127.0.0.1'], clock), /node kiosk is enrolled already .*--replace/);
    const replace = await runStrata(['join-token', 'kiosk', '--parents', 'core', '--replace', '--core-data-dir', coreDir]);
    assert.equal(replace.code, 0, replace.stderr);
    const rebuilt = await enrol('kiosk', 'site', replace.stdout.trim(), core, ['127.0.0.1'], clock);
    assert.match(await link('core', first, 'kiosk').outcome, /was revoked at .*replaced by a new enrolment/);
    assert.equal(await link('core', rebuilt, 'kiosk').outcome, 'accepted');
  });

  it('shuts a revoked node out of its live link, new links and API calls, at every node; and a revoked operator out of changes', async () => {
    const kiosk = await enrolAs(cluster, 'kiosk2');
    const live = link('core', kiosk, 'kiosk2');
    assert.equal(await live.outcome, 'accepted');
    const checkAt = (node: string): Promise<unknown> => new ApiClient(cluster.grpc.get(node)!, clock, () => mutualCredentials(kiosk), 5000).unary('DirectoryService', 'CheckPassword', { dn: `uid=nobody,ou=people,${BASE}`, password: 'x', hops: 0 });
    await checkAt('eu');
    const revoked = await runStrata(['revoke', 'kiosk2', '--reason', 'stolen', ...cluster.target('core')]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /revoked kiosk2: certificate [0-9A-F]+/);
    assert.match(await live.ended, /revoked: stolen/);
    assert.match(await link('core', kiosk, 'kiosk2').outcome, /was revoked at .*: stolen/);
    await assert.rejects(checkAt('core'), /kiosk2 .* was revoked/);
    await eventually(() => assert.rejects(checkAt('eu'), /kiosk2 .* was revoked/), 5000, 100);

    const opsDir = path.join(dataDir, 'ops1');
    assert.equal((await runStrata(['operator-cert', 'ops1', '--out', opsDir, '--core-data-dir', path.join(dataDir, 'core')])).code, 0);
    const asOps1 = ['--addr', cluster.grpc.get('core')!, '--ca', path.join(opsDir, 'ca.crt'), '--cert', path.join(opsDir, 'operator.crt'), '--key', path.join(opsDir, 'operator.key')];
    const before = await runStrata(['settings', 'set', 'ops1', 'yes', ...asOps1]);
    assert.equal(before.code, 0, before.stderr);
    assert.equal((await runStrata(['revoke', 'operator', 'ops1', ...cluster.target('core')])).code, 0);
    const after = await runStrata(['settings', 'set', 'ops1', 'no', ...asOps1]);
    assert.notEqual(after.code, 0);
    assert.match(after.stderr, /operator:ops1 .* was revoked/);
  });
});
