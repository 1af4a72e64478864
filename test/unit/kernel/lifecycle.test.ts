import assert from 'node:assert/strict';
import { Lifecycle, component } from '../../../src/kernel/lifecycle';
import { Backoff } from '../../../src/kernel/backoff';
import { parseHostPort, formatHostPort } from '../../../src/kernel/host-port';

function recorder(log: string[], name: string, failStart = false) {
  return component(
    name,
    async () => {
      if (failStart) throw new Error(`${name} cannot start`);
      log.push(`start ${name}`);
    },
    async () => {
      log.push(`stop ${name}`);
    },
  );
}

describe('Lifecycle', () => {
  it('starts in order and stops in exact reverse, once', async () => {
    const log: string[] = [];
    const lifecycle = new Lifecycle().add(recorder(log, 'a')).add(recorder(log, 'b')).add(recorder(log, 'c'));
    await lifecycle.start();
    await Promise.all([lifecycle.stop(), lifecycle.stop()]);
    await lifecycle.stop();
    assert.deepEqual(log, ['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
  });

  it('stops what started when a later component fails, and rethrows', async () => {
    const log: string[] = [];
    const lifecycle = new Lifecycle().add(recorder(log, 'a')).add(recorder(log, 'b', true)).add(recorder(log, 'c'));
    await assert.rejects(lifecycle.start(), /b cannot start/);
    assert.deepEqual(log, ['start a', 'stop a']);
  });

  it('runs every stop even when one fails', async () => {
    const log: string[] = [];
    const lifecycle = new Lifecycle()
      .add(recorder(log, 'a'))
      .add(component('bad', async () => undefined, async () => Promise.reject(new Error('stuck'))))
      .add(recorder(log, 'c'));
    await lifecycle.start();
    await assert.rejects(lifecycle.stop(), /1 component\(s\) failed to stop/);
    assert.deepEqual(log, ['start a', 'start c', 'stop c', 'stop a']);
  });
});

describe('Backoff', () => {
  it('grows to the cap with jitter in [ceiling/2, ceiling] and resets', () => {
    let r = 0;
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, random: () => r });
    assert.deepEqual([backoff.nextDelayMs(), backoff.nextDelayMs(), backoff.nextDelayMs()], [50, 100, 200]);
    r = 1;
    for (let i = 0; i < 10; i++) backoff.nextDelayMs();
    assert.equal(backoff.nextDelayMs(), 1000);
    backoff.reset();
    assert.equal(backoff.nextDelayMs(), 100);
  });
});

describe('host:port', () => {
  it('parses v4, names and bracketed v6, and says what is wrong otherwise', () => {
    assert.deepEqual(parseHostPort('127.0.0.1:53'), { host: '127.0.0.1', port: 53 });
    assert.deepEqual(parseHostPort('[::1]:15300'), { host: '::1', port: 15300 });
    assert.deepEqual(parseHostPort('core.example:0'), { host: 'core.example', port: 0 });
    assert.match(String(parseHostPort('::1:53')), /expected HOST:PORT/);
    assert.match(String(parseHostPort('1.2.3.4:70000')), /out of range/);
    assert.equal(formatHostPort({ host: '::1', port: 53 }), '[::1]:53');
  });
});
