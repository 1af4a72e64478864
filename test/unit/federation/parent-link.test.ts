import assert from 'node:assert/strict';
import { FakeClock } from '../../../src/kernel/clock';
import { silentLogger } from '../../../src/kernel/log';
import type { LinkSession } from '../../../src/federation/link/link-session';
import { ParentLink, STABLE_SESSION_MS } from '../../../src/federation/link/parent-link';
import type { ParentRef } from '../../../src/federation/link/parent-ref';

class FakeSession {
  ended = false;
  private waiters: Array<() => void> = [];
  constructor(readonly parent: string) {}
  onEnded(fn: () => void): void {
    if (this.ended) fn();
    else this.waiters.push(fn);
  }
  close(): void {
    this.ended = true;
    for (const fn of this.waiters.splice(0)) fn();
  }
}

const PARENTS: ParentRef[] = [
  { name: 'eu', address: { host: '127.0.0.1', port: 1 } },
  { name: 'core', address: { host: '127.0.0.1', port: 2 } },
];

describe('ParentLink (fake clock)', () => {
  let clock: FakeClock;
  let up: Set<string>;
  let ready: boolean;
  let attempts: string[];
  let sessions: FakeSession[];
  let link: ParentLink;
  let logged: string[];

  beforeEach(() => {
    logged = [];
    const record = (level: string) => (_fields: unknown, message: string): void => void logged.push(`${level} ${message}`);
    const logger = Object.assign(Object.create(silentLogger()) as ReturnType<typeof silentLogger>, { info: record('info'), warn: record('warn') });
    clock = new FakeClock();
    up = new Set(['eu', 'core']);
    ready = false;
    attempts = [];
    sessions = [];
    link = new ParentLink(PARENTS, {
      connect: async (parent) => {
        attempts.push(parent.name);
        if (!up.has(parent.name)) return undefined;
        const session = new FakeSession(parent.name);
        sessions.push(session);
        return session as unknown as LinkSession;
      },
      primaryReady: async () => ready && up.has('eu'),
    }, { reconnectInitialMs: 200, reconnectMaxMs: 2000, primaryProbeMs: 2000, helloTimeoutMs: 3000 }, clock, logger);
  });

  afterEach(() => link.stop());

  const current = (): string | undefined => link.current?.parent.name;

  it('links to the primary parent first', async () => {
    link.start();
    await clock.tick(0);
    assert.equal(current(), 'eu');
    assert.deepEqual(attempts, ['eu']);
  });

  it('falls back to the next parent in order when the primary is lost, and records since when', async () => {
    link.start();
    await clock.tick(0);
    up.delete('eu');
    clock.advance(STABLE_SESSION_MS);
    sessions[0]!.close();
    assert.equal(link.downSinceMs, clock.nowMs());
    await clock.tick(0);
    assert.equal(current(), 'core');
    assert.deepEqual(attempts, ['eu', 'eu', 'core']);
  });

  it('backs off when the parent ends each link right after it began, instead of reconnecting in a tight loop', async () => {
    link.start();
    await clock.tick(0);
    // The parent refuses something the child sends and ends every link within a few ms.
    for (let ms = 0; ms < 10_000; ms += 5) {
      for (const session of sessions) if (!session.ended) session.close();
      await clock.tick(5);
    }
    const links = sessions.length;
    assert.ok(links >= 5 && links <= 40, `linked ${links} times in 10 s`);
    // Once a link holds, its loss is retried at once again.
    await clock.tick(0);
    const held = sessions[sessions.length - 1]!;
    if (held.ended) await clock.tick(2100);
    await clock.tick(STABLE_SESSION_MS);
    const before = attempts.length;
    sessions[sessions.length - 1]!.close();
    await clock.tick(0);
    assert.equal(attempts.length, before + 1, 'a link that held is retried without waiting');
    assert.equal(current(), 'eu');
  });

  it('backs off with growing jittered delays while no parent answers, then links when one does', async () => {
    up.clear();
    link.start();
    await clock.tick(0);
    assert.equal(current(), undefined);
    await clock.tick(10_000);
    const rounds = attempts.filter((a) => a === 'eu').length;
    assert.ok(rounds >= 5 && rounds <= 40, `retried ${rounds} times in 10 s`);
    up.add('core');
    await clock.tick(2100);
    assert.equal(current(), 'core');
  });

  it('moves back to the primary once it is reachable and caught up', async () => {
    up.delete('eu');
    link.start();
    await clock.tick(0);
    assert.equal(current(), 'core');
    up.add('eu');
    await clock.tick(5000);
    assert.equal(current(), 'core', 'not while the primary is not caught up');
    ready = true;
    await clock.tick(2100);
    assert.equal(current(), 'eu');
    assert.ok(logged.includes('info left the fallback parent for the primary'), logged.join('; '));
    assert.ok(!logged.some((l) => l.startsWith('warn lost parent')), 'a planned move back is not logged as a loss');
  });
});
