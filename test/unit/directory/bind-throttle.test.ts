import assert from 'node:assert/strict';
import { BindThrottle } from '../../../src/directory/security/bind-throttle';
import { FakeClock } from '../../../src/kernel/clock';

describe('directory: bind throttle (fake clock)', () => {
  const settings = { perEntry: 3, perAddress: 5, windowMs: 60_000, lockMs: 10_000, maxLockMs: 40_000 };

  it('locks an entry after its limit, doubles the delay on further failures up to the cap, and unlocks after it', () => {
    const clock = new FakeClock();
    const throttle = new BindThrottle(clock, settings);
    for (let i = 0; i < 2; i++) throttle.failed('uid=a', '10.0.0.1');
    assert.equal(throttle.lockedUntil('uid=a', '10.0.0.9'), undefined);
    throttle.failed('uid=a', '10.0.0.2');
    assert.equal(throttle.lockedUntil('uid=a', '10.0.0.9'), clock.nowMs() + 10_000, 'locked for every address');
    clock.advance(10_001);
    assert.equal(throttle.lockedUntil('uid=a', '10.0.0.9'), undefined);
    throttle.failed('uid=a', '10.0.0.3');
    assert.equal(throttle.lockedUntil('uid=a', 'x'), clock.nowMs() + 20_000, 'doubled');
    for (let i = 0; i < 5; i++) throttle.failed('uid=a', '10.0.0.4');
    assert.equal(throttle.lockedUntil('uid=a', 'x'), clock.nowMs() + 40_000, 'capped');
  });

  it('locks an address that guesses at many entries; a success clears the entry, not the address', () => {
    const clock = new FakeClock();
    const throttle = new BindThrottle(clock, settings);
    for (let i = 0; i < 5; i++) throttle.failed(`uid=${i}`, '10.0.0.1');
    assert.notEqual(throttle.lockedUntil('uid=other', '10.0.0.1'), undefined);
    assert.equal(throttle.lockedUntil('uid=other', '10.0.0.2'), undefined);
    throttle.failed('uid=b', '10.0.0.7');
    throttle.failed('uid=b', '10.0.0.7');
    throttle.succeeded('uid=b');
    throttle.failed('uid=b', '10.0.0.7');
    assert.equal(throttle.lockedUntil('uid=b', '10.0.0.8'), undefined, 'the count started again after the success');
  });

  it('forgets failures older than the window', () => {
    const clock = new FakeClock();
    const throttle = new BindThrottle(clock, settings);
    throttle.failed('uid=c', 'a');
    throttle.failed('uid=c', 'a');
    clock.advance(61_000);
    throttle.failed('uid=c', 'a');
    assert.equal(throttle.lockedUntil('uid=c', 'b'), undefined);
  });

  it('tells every change (LDAP workers mirror it) and gives what stands to a worker that starts mirroring', () => {
    const clock = new FakeClock();
    const throttle = new BindThrottle(clock, settings);
    const heard: string[] = [];
    throttle.onChange = (entry, address) => heard.push(`${entry} ${address ?? '-'}`);
    throttle.failed('uid=a', '10.0.0.1');
    throttle.succeeded('uid=a');
    throttle.succeeded('uid=a'); // nothing counted any more: no change
    for (let i = 0; i < 5; i++) throttle.failed(`uid=${i}`, '10.0.0.2');
    assert.deepEqual(heard.slice(0, 2), ['uid=a 10.0.0.1', 'uid=a -']);
    assert.equal(heard.length, 7);
    assert.deepEqual(throttle.snapshot(), { entries: ['uid=0', 'uid=1', 'uid=2', 'uid=3', 'uid=4'], addresses: ['10.0.0.2'] }, 'failing entries, and only the locked addresses');
  });
});
