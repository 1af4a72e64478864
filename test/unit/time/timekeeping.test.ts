// Timekeeping on a fake clock against a real NTP server socket: the first
// sync (after a burst of samples) corrects a skewed host clock, a lost
// source leaves the node in holdover with dispersion growing at 15 ppm, and
// past maxDistanceMs it announces leap 3 / stratum 16 — over real UDP.

import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { FakeClock, SystemClock } from '../../../src/kernel/clock';
import { createLogger } from '../../../src/kernel/log';
import { Metrics } from '../../../src/kernel/metrics';
import { hostTime } from '../../../src/time/host-time';
import { MODE, readPacket, toNtpTimestamp, writePacket } from '../../../src/time/ntp-packet';
import { NtpServer } from '../../../src/time/ntp-server';
import { Timekeeping } from '../../../src/time/timekeeping';

const LOOPBACK = { host: '127.0.0.1', port: 0 };

function clientRequest(): Buffer {
  const request = writePacket({ leap: 0, version: 4, mode: MODE.CLIENT, stratum: 0, poll: 4, precision: -20, rootDelay: 0, rootDispersion: 0, refId: Buffer.alloc(4), reference: 0n, receive: 0n, transmit: 0n });
  request.writeBigUInt64BE(0xdead_beef_0000_0001n, 40);
  return request;
}

/** One SNTP request (sent again every 250 ms: UDP may drop it on a busy machine); the reply. */
async function ask(port: number): Promise<Buffer> {
  return (await exchange(port, []))[0]!;
}

/**
 * Sends each of `junk` and then a client request, all from one socket; once
 * the request is answered (the signal that everything before it was
 * handled), resolves with every datagram that came back.
 */
async function exchange(port: number, junk: Buffer[]): Promise<Buffer[]> {
  const socket = dgram.createSocket('udp4');
  const received: Buffer[] = [];
  try {
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    for (const bytes of junk) await new Promise<void>((resolve, reject) => socket.send(bytes, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    const answered = new Promise<void>((resolve) => socket.on('message', (m) => {
      received.push(m);
      if (m.length >= 48 && m.readBigUInt64BE(24) === 0xdead_beef_0000_0001n) resolve();
    }));
    for (let attempt = 0; attempt < 40; attempt++) {
      socket.send(clientRequest(), port, '127.0.0.1');
      if (await Promise.race([answered.then(() => true), sleep(250).then(() => false)])) return received;
    }
    throw new Error(`no answer from 127.0.0.1:${port} in 10 s`);
  } finally {
    socket.close();
  }
}

describe('Timekeeping (fake clock, real UDP)', function () {
  this.timeout(20_000);
  const logger = createLogger({ level: 'silent' });
  let clock: FakeClock;
  let metrics: Metrics;
  let parentRequests: ReturnType<Metrics['counter']>;
  let parent: NtpServer;
  let parentPort: number;
  let node: Timekeeping;
  let nodePort: number;

  beforeEach(async () => {
    clock = new FakeClock();
    const parentHost = hostTime(clock);
    parentRequests = new Metrics({}, false).counter('p', 'p', ['result']);
    parent = new NtpServer(() => ({ leap: 0, stratum: 2, refId: Buffer.from('GPS\0'), rootDelayS: 0.001, rootDispersionS: 0.0005, referenceNs: parentHost.nowNs(), servedAt: (h) => h }), parentHost, { requests: parentRequests }, logger);
    parentPort = await parent.listen(LOOPBACK);
    node = new Timekeeping(
      { listen: LOOPBACK, isCore: false, upstreams: [], localStratum: 10, pollS: 16, timeoutMs: 500, maxDistanceMs: 5, testSkew: { offsetMs: 120, driftPpm: 0 } },
      { parentNtp: () => [{ name: 'parent', address: { host: '127.0.0.1', port: parentPort } }] },
      clock,
      logger,
      (metrics = new Metrics({}, false)),
    );
    nodePort = await node.start();
    await step(0); // the first poll, at fake time 0
  });

  afterEach(async () => {
    await node.stop();
    parent.close();
  });

  /** Fake time moves (timers fire; a poll's request goes out over real UDP). */
  async function step(ms: number): Promise<void> {
    await clock.tick(ms);
    await new Promise((resolve) => setImmediate(resolve));
  }

  const answeredByParent = async (): Promise<number> => (await parentRequests.get()).values.reduce((sum, v) => sum + v.value, 0);

  /**
   * Polls every 250 ms of fake time until synchronised. After each poll it
   * waits (real time, up to 2 s) until the parent has answered, then lets
   * the node's socket take the reply in: no fixed real-time budget per step.
   */
  async function synchronise(): Promise<void> {
    for (let poll = 0; poll < 12 && !node.status().synchronized; poll++) {
      const before = await answeredByParent();
      await step(250);
      for (let waited = 0; waited < 2000 && (await answeredByParent()) === before; waited += 5) await sleep(5);
      await sleep(5); // the reply is on loopback: delivered by the next I/O phase
    }
  }

  it('announces leap 3 until synchronised, then serves the source time one stratum below it', async () => {
    const before = readPacket(await ask(nodePort), clock.wallNs());
    assert.equal(before.kind === 'packet' && before.packet.leap, 3, 'unsynchronised at start');
    assert.equal(before.kind === 'packet' && before.packet.stratum, 16);
    await synchronise();
    const status = node.status();
    assert.equal(status.synchronized, true);
    assert.equal(status.stratum, 3);
    assert.ok(Math.abs(status.correctionS + 0.12) < 0.001, `corrects the +120 ms host skew: ${status.correctionS}`);
    const reply = await ask(nodePort);
    const read = readPacket(reply, clock.wallNs());
    assert.ok(read.kind === 'packet');
    const p = read.packet;
    assert.deepEqual([p.leap, p.mode, p.stratum, p.version], [0, 4, 3, 4]);
    assert.equal(p.originRaw, 0xdead_beef_0000_0001n, "the client's transmit echoed as origin");
    assert.ok(Math.abs(Number(p.transmit - clock.wallNs()) / 1e6) < 1, 'serves the source time, not the skewed host');
    assert.deepEqual([...p.refId], [127, 0, 0, 1], "the source's address as reference ID");
    // The same reply read byte by byte (RFC 5905 §7.3), not with the codec under test.
    assert.equal(reply[0], (0 << 6) | (4 << 3) | 4, 'LI 0, version 4, mode 4 (server)');
    assert.equal(reply[1], 3, 'stratum');
    assert.equal(reply.readBigUInt64BE(24), 0xdead_beef_0000_0001n, 'origin = the request\'s transmit');
    const unixMs = (reply.readUInt32BE(40) - 2_208_988_800) * 1000 + (reply.readUInt32BE(44) / 2 ** 32) * 1000;
    assert.ok(Math.abs(unixMs - Number(clock.wallNs() / 1_000_000n)) < 1, `transmit timestamp (NTP era 0) is the source time: ${unixMs}`);
  });

  it('holds over when the source goes (dispersion growing at 15 ppm), and announces leap 3 past maxDistanceMs', async () => {
    await synchronise();
    assert.equal(node.status().synchronized, true);
    const dispersionAtSync = node.status().rootDispersionS;
    parent.close();
    for (let i = 0; i < 10; i++) await step(16_000); // polls go unanswered (each times out)
    const holdover = node.status();
    assert.equal(holdover.synchronized, true, 'still synchronised in holdover');
    assert.ok(Math.abs(holdover.rootDispersionS - dispersionAtSync - 15e-6 * 160) < 0.0002, `dispersion grew by 15 ppm × 160 s: ${holdover.rootDispersionS}`);
    const during = readPacket(await ask(nodePort), clock.wallNs());
    assert.ok(during.kind === 'packet' && during.packet.leap === 0 && Math.abs(Number(during.packet.transmit - clock.wallNs()) / 1e6) < 1, 'serving on the frequency estimate');
    for (let i = 0; i < 15; i++) await step(16_000); // 400 s in all: 15 ppm × 400 s = 6 ms > 5 ms
    const lost = node.status();
    assert.equal(lost.synchronized, false);
    const after = readPacket(await ask(nodePort), clock.wallNs());
    assert.ok(after.kind === 'packet' && after.packet.leap === 3 && after.packet.stratum === 16, 'leap 3, stratum 16');
  });

  it('drops and counts what is not a client request; answers the next one', async () => {
    const server = Buffer.alloc(48);
    server[0] = (4 << 3) | MODE.SERVER;
    const v7 = Buffer.alloc(48);
    v7[0] = (7 << 3) | MODE.CLIENT;
    // Too short, a server-mode packet, version 7; then a real request, whose answer says the three were handled.
    const replies = await exchange(nodePort, [Buffer.alloc(20), server, v7]);
    assert.ok(replies.every((m) => m.length >= 48 && m.readBigUInt64BE(24) === 0xdead_beef_0000_0001n), `only the real request was answered (${replies.length} replies)`);
    const counted = (await metrics.registry.getSingleMetric('strata_ntp_requests_total')!.get()).values;
    const dropped = counted.filter((v) => v.labels['result'] === 'malformed' || v.labels['result'] === 'ignored').reduce((sum, v) => sum + v.value, 0);
    assert.equal(dropped, 3, `the three are counted as dropped: ${JSON.stringify(counted)}`);
    assert.equal(toNtpTimestamp(0n), 0n);
  });
});

describe('Timekeeping at the core, on its own clock (fake clock)', () => {
  it('serves the system clock at the declared stratum, follows a step of it, and refuses to serve 1970', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 28));
    const core = new Timekeeping(
      { listen: LOOPBACK, isCore: true, upstreams: [], localStratum: 7, pollS: 16, timeoutMs: 500, maxDistanceMs: 1500, testSkew: { offsetMs: 0, driftPpm: 0 } },
      { parentNtp: () => [] },
      clock,
      createLogger({ level: 'silent' }),
      new Metrics({}, false),
    );
    const port = await core.start();
    try {
      const first = readPacket(await ask(port), clock.wallNs());
      assert.ok(first.kind === 'packet' && first.packet.stratum === 7 && first.packet.leap === 0 && first.packet.refId.toString() === 'LOCL');
      clock.setWallMs(Date.UTC(2026, 10, 28, 1)); // the system clock is stepped an hour ahead
      assert.ok(Math.abs(Number(core.nowNs() / 1_000_000n) - Date.UTC(2026, 10, 28, 1)) < 1, 'follows the step');
      clock.setWallMs(Date.UTC(1970, 0, 2)); // a board without RTC, booted
      const boot = readPacket(await ask(port), clock.wallNs());
      assert.ok(boot.kind === 'packet' && boot.packet.leap === 3 && boot.packet.stratum === 16, 'unsynchronised, not 1970 as time');
      assert.equal(core.status().synchronized, false);
    } finally {
      await core.stop();
    }
  });
});

describe('Timekeeping on the real clock: the NTP server in its own thread', () => {
  it('answers while the node\'s main thread is busy, with the time it serves, and counts the request', async () => {
    const metrics = new Metrics({}, false);
    const core = new Timekeeping(
      { listen: LOOPBACK, isCore: true, upstreams: [], localStratum: 7, pollS: 16, timeoutMs: 500, maxDistanceMs: 1500, testSkew: { offsetMs: 0, driftPpm: 0 } },
      { parentNtp: () => [] },
      new SystemClock(),
      createLogger({ level: 'silent' }),
      metrics,
    );
    const port = await core.start();
    try {
      // A client in another thread asks while this (the node's) thread spins; a shared flag says whether the spin was over when the reply came.
      const flags = new Int32Array(new SharedArrayBuffer(8));
      const client = new Worker(`
        const { parentPort, workerData } = require('node:worker_threads');
        const dgram = require('node:dgram');
        const flags = new Int32Array(workerData.flags);
        const socket = dgram.createSocket('udp4');
        const request = Buffer.alloc(48); request[0] = (4 << 3) | 3;
        socket.on('message', (reply) => { parentPort.postMessage({ spinOver: Atomics.load(flags, 0) === 1, reply }); socket.close(); });
        Atomics.wait(flags, 1, 0); // until the node's thread is spinning
        socket.send(request, workerData.port, '127.0.0.1');
      `, { eval: true, workerData: { flags: flags.buffer, port } });
      const answer = new Promise<{ spinOver: boolean; reply: Uint8Array }>((resolve) => client.once('message', resolve));
      Atomics.store(flags, 1, 1);
      Atomics.notify(flags, 1);
      const until = Date.now() + 1500;
      while (Date.now() < until) { /* the node's event loop is busy */ }
      Atomics.store(flags, 0, 1);
      const { spinOver, reply } = await answer;
      await client.terminate();
      assert.equal(spinOver, false, 'answered while the main thread was still busy');
      const read = readPacket(Buffer.from(reply), new SystemClock().wallNs());
      assert.ok(read.kind === 'packet' && read.packet.stratum === 7 && read.packet.mode === MODE.SERVER);
      assert.ok(Math.abs(Number(read.packet.receive - new SystemClock().wallNs()) / 1e6) < 5_000, 'the receive timestamp is this machine\'s time');
      // A scrape folds in what the worker counted (no waiting for the next publish).
      const counted = (await metrics.registry.getSingleMetric('strata_ntp_requests_total')!.get()).values;
      assert.equal(counted.find((v) => v.labels['result'] === 'answered')?.value, 1);
    } finally {
      await core.stop();
    }
  });
});
