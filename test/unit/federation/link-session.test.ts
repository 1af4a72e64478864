import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeClock, SystemClock, type Clock } from '../../../src/kernel/clock';
import { silentLogger } from '../../../src/kernel/log';
import { LinkSession, PROTOCOL_VERSION, type HelloInfo, type SessionHandlers, type SessionPolicy } from '../../../src/federation/link/link-session';
import { Store } from '../../../src/store';
import { eventually } from '../../support/eventually';
import { MemoryLinkPair } from '../../support/memory-link';

const TIMING = { heartbeatMs: 1000, missedHeartbeats: 3 };

function hello(node: string, protocolVersion = PROTOCOL_VERSION): () => HelloInfo {
  return () => ({ node, tier: node === 'core' ? 'core' : 'site', subtree: [node], ancestors: [], federationDomain: 'edge.example.', baseDn: 'dc=edge,dc=example', upstreamConnected: true, zone: '', dnsAddress: '', ntpAddress: '', ldapAddress: '', protocolVersion });
}

const handlers = (ended: string[] = []): SessionHandlers => ({
  hello: () => undefined,
  status: () => undefined,
  write: async () => ({ errorCode: 'NOT_FOUND', errorMessage: 'no writes here' }),
  ended: (_s, reason) => ended.push(reason),
});

/** Parent sends what it owns; child accepts anything not its own. */
const parentSide = (_store: Store): SessionPolicy => ({
  sends: (_peer, d) => d.role === 'owner',
  accept: () => false,
  created: async () => undefined,
});
const childSide = (): SessionPolicy => ({ sends: () => false, accept: (_p, _d, owner) => owner === 'core', created: async () => undefined });

describe('LinkSession (in memory, real protobuf codec)', () => {
  let dir: string;
  let core: Store;
  let site: Store;
  const sessions: LinkSession[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-link-'));
    core = await Store.open({ dir: path.join(dir, 'core'), nodeName: 'core', clock: new SystemClock(), compaction: { keepChanges: 10, keepMs: 0 } });
    site = await Store.open({ dir: path.join(dir, 'site'), nodeName: 'berlin', clock: new SystemClock() });
    await core.createDataset('settings');
  });

  afterEach(async () => {
    for (const s of sessions.splice(0)) s.close('test over');
    await core.close();
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function connect(clock: Clock = new SystemClock(), ended: string[] = [], versions = { parent: PROTOCOL_VERSION, child: PROTOCOL_VERSION }): { pair: MemoryLinkPair; parent: LinkSession; child: LinkSession } {
    const pair = new MemoryLinkPair();
    const parent = new LinkSession(pair.parent, { store: core, policy: parentSide(core), handlers: handlers(ended), local: hello('core', versions.parent), timing: TIMING, clock: clock, logger: silentLogger(), peerLabel: 'child berlin' });
    const child = new LinkSession(pair.child, { store: site, policy: childSide(), handlers: handlers(ended), local: hello('berlin', versions.child), timing: TIMING, clock: clock, logger: silentLogger(), peerLabel: 'parent core' });
    sessions.push(parent, child);
    parent.start();
    child.start();
    return { pair, parent, child };
  }

  async function write(count: number, prefix: string): Promise<void> {
    for (let i = 0; i < count; i += 500) {
      await core.write('settings', Array.from({ length: Math.min(500, count - i) }, (_, j) => ({ op: 'put' as const, key: `${prefix}${i + j}`, value: i + j })));
    }
  }

  async function assertIdentical(): Promise<void> {
    await eventually(() => {
      const a = core.dataset('settings')!;
      const b = site.dataset('settings');
      assert.ok(b, 'replica exists');
      assert.deepEqual([b.epoch, b.seq, b.entries], [a.epoch, a.seq, a.entries]);
      assert.deepEqual(site.entries('settings'), core.entries('settings'));
    }, 10_000, 20);
  }

  it('streams live changes in order, in batches, exactly once', async () => {
    connect();
    await core.write('settings', [{ op: 'put', key: 'a', value: 1 }]);
    await assertIdentical();
    await write(2500, 'k');
    await core.write('settings', [{ op: 'delete', key: 'k7' }]);
    await assertIdentical();
    assert.equal(site.get('settings', 'k7'), undefined);
    const log = site.since('settings', 0, { limit: 5000 });
    assert.equal(log.kind, 'changes');
    if (log.kind === 'changes') assert.deepEqual(log.changes.map((c) => c.seq), Array.from({ length: 2502 }, (_, i) => i + 1));
  });

  it('resumes from the replica cursor after a reconnect, sending only what is missing', async () => {
    const first = connect();
    await write(100, 'a');
    await assertIdentical();
    first.parent.close('test');
    await write(5, 'b');
    const applied: number[] = [];
    site.onChange(() => applied.push(site.dataset('settings')!.seq));
    connect();
    await assertIdentical();
    assert.equal(Math.min(...applied), 105, 'no snapshot, no re-sent changes: one batch for the 5 missing ones');
  });

  it('sends a snapshot when the log was compacted past the cursor', async () => {
    await write(200, 'x');
    await core.write('settings', [{ op: 'delete', key: 'x0' }]);
    assert.ok((await core.compact('settings')) > 0);
    connect();
    await assertIdentical();
    assert.equal(site.dataset('settings')!.firstSeq, site.dataset('settings')!.seq + 1, 'replica starts from a snapshot');
  });

  it('replaces the replica from a snapshot when the owner has a new epoch', async () => {
    const first = connect();
    await write(20, 'old');
    await assertIdentical();
    first.parent.close('owner rebuilt');
    await core.dropDataset('settings');
    await core.createDataset('settings');
    await core.write('settings', [{ op: 'put', key: 'new', value: true }]);
    connect();
    await assertIdentical();
    assert.deepEqual(site.entries('settings'), [{ key: 'new', value: true }]);
  });

  it('replicates an empty dataset, so the replica knows its owner before the first change', async () => {
    await core.createDataset('services:core');
    connect();
    await eventually(() => assert.equal(site.dataset('services:core')?.owner, 'core'), 5000, 20);
  });

  it('renews the epoch when a replica is ahead of its owner (owner restored from an old backup)', async () => {
    const first = connect();
    await write(10, 'old-');
    await assertIdentical();
    first.parent.close('taking a backup');
    await core.close();
    cpSync(path.join(dir, 'core'), path.join(dir, 'backup'), { recursive: true });
    core = await Store.open({ dir: path.join(dir, 'core'), nodeName: 'core', clock: new SystemClock() });
    const second = connect();
    await write(20, 'lost-');
    await assertIdentical();
    second.parent.close('disk replaced');
    await core.close();
    rmSync(path.join(dir, 'core'), { recursive: true });
    cpSync(path.join(dir, 'backup'), path.join(dir, 'core'), { recursive: true });
    core = await Store.open({ dir: path.join(dir, 'core'), nodeName: 'core', clock: new SystemClock() });
    const epoch = core.dataset('settings')!.epoch;
    assert.ok(site.dataset('settings')!.seq > core.dataset('settings')!.seq, 'the replica is ahead of its restored owner');
    connect();
    await core.write('settings', [{ op: 'put', key: 'after-restore', value: 1 }]);
    await assertIdentical();
    assert.notEqual(site.dataset('settings')!.epoch, epoch, 'the replica moved to a renewed epoch');
    assert.equal(site.get('settings', 'after-restore'), 1);
    assert.equal(site.get('settings', 'lost-0'), undefined, 'and holds exactly the owner data');
  });

  it('refuses changes that claim another owner for a dataset it holds', async () => {
    await core.write('settings', [{ op: 'put', key: 'a', value: 'good' }]);
    connect();
    await assertIdentical();
    const info = site.dataset('settings')!;
    const pair = new MemoryLinkPair();
    const rogue = new LinkSession(pair.parent, { store: core, policy: { sends: () => false, accept: () => false, created: async () => undefined }, handlers: handlers(), local: hello('rogue'), timing: TIMING, clock: new SystemClock(), logger: silentLogger(), peerLabel: 'rogue' });
    const ended: string[] = [];
    const victim = new LinkSession(pair.child, { store: site, policy: childSide(), handlers: handlers(ended), local: hello('berlin'), timing: TIMING, clock: new SystemClock(), logger: silentLogger(), peerLabel: 'rogue parent' });
    sessions.push(rogue, victim);
    victim.start();
    await pair.parent.send({ hello: { node: 'rogue', tier: 'site', cursors: [], subtree: [], ancestors: [], protocolVersion: 1 } });
    await pair.parent.send({ changes: { dataset: 'settings', owner: 'rogue', epoch: info.epoch, changes: [{ seq: info.seq + 1, op: 'put', key: 'a', value: Buffer.from('"evil"'), timeMs: 1 }], headSeq: info.seq + 1 } });
    // The refusal itself: the link is closed, saying why (not silence after a sleep).
    await eventually(() => assert.match(ended.join('\n'), /refused settings: it is owned by core here, the peer says rogue/), 2000, 10);
    assert.ok(victim.ended);
    assert.equal(site.get('settings', 'a'), 'good');
    assert.equal(site.dataset('settings')!.owner, 'core');
  });

  it('ends the session after missed heartbeats when the link goes silent (fake clock)', async () => {
    const clock = new FakeClock();
    const ended: string[] = [];
    const { pair, parent, child } = connect(clock, ended);
    await clock.tick(5000);
    assert.equal(child.ended || parent.ended, false, 'heartbeats keep it alive');
    pair.cut();
    await clock.tick(3000);
    assert.equal(child.ended, false, 'not yet: within 3 × 1 s');
    await clock.tick(1100);
    assert.ok(child.ended && parent.ended);
    assert.match(ended.join('\n'), /missed heartbeats/);
  });

  it('carries a forwarded write and its answer', async () => {
    const pair = new MemoryLinkPair();
    const parent = new LinkSession(pair.parent, {
      store: core,
      policy: parentSide(core),
      handlers: {
        ...handlers(),
        write: async (_s, request) => {
          const changes = await core.write(request.dataset, [{ op: 'put', key: request.mutations[0]!.key, value: 'v' }]);
          return { epoch: core.dataset(request.dataset)!.epoch, seq: changes[0]!.seq };
        },
      },
      local: hello('core'),
      timing: TIMING,
      clock: new SystemClock(),
      logger: silentLogger(),
      peerLabel: 'child',
    });
    const child = new LinkSession(pair.child, { store: site, policy: childSide(), handlers: handlers(), local: hello('berlin'), timing: TIMING, clock: new SystemClock(), logger: silentLogger(), peerLabel: 'parent core' });
    sessions.push(parent, child);
    parent.start();
    child.start();
    const result = await child.request({ dataset: 'settings', mutations: [{ op: 'put', key: 'fwd', value: Buffer.from('"v"') }], origin: 'berlin', hops: 1, timeoutMs: 1000 }, 1000);
    assert.equal(Number(result.seq), 1);
    assert.equal(core.get('settings', 'fwd'), 'v');
  });

  it('links with a peer one protocol version older or newer and speaks the older; refuses one further apart, saying why', async () => {
    await write(3, 'k');
    for (const [parentVersion, childVersion] of [[PROTOCOL_VERSION, PROTOCOL_VERSION - 1], [PROTOCOL_VERSION - 1, PROTOCOL_VERSION], [PROTOCOL_VERSION + 1, PROTOCOL_VERSION]]) {
      const { parent, child } = connect(new SystemClock(), [], { parent: parentVersion!, child: childVersion! });
      await eventually(() => {
        assert.equal(parent.peer?.protocolVersion, Math.min(parentVersion!, childVersion!));
        assert.equal(child.peer?.protocolVersion, Math.min(parentVersion!, childVersion!));
      }, 5000, 10);
      await assertIdentical();
      parent.close('next');
      child.close('next');
    }
    for (const far of [PROTOCOL_VERSION + 2, PROTOCOL_VERSION - 2]) {
      const ended: string[] = [];
      const { parent } = connect(new SystemClock(), ended, { parent: PROTOCOL_VERSION, child: far });
      await eventually(() => assert.ok(ended.some((r) => r.includes(`node berlin speaks link protocol ${far}; node core (protocol ${PROTOCOL_VERSION}) links with protocols ${PROTOCOL_VERSION - 1}–${PROTOCOL_VERSION + 1} only`)), ended.join(' | ')), 5000, 10);
      assert.equal(parent.peer, undefined, 'no peer: nothing replicated to it');
    }
  });
});
