import assert from 'node:assert/strict';
import { fromNtpTimestamp, MODE, readPacket, toNtpTimestamp, writeNtpTimestamp, writePacket } from '../../../src/time/ntp-packet';

const NOW_NS = 1_795_858_000_123_456_789n;

describe('NTP packet codec', () => {
  it('converts Unix ns to NTP timestamps and back to within a nanosecond, across the 2036 era boundary', () => {
    for (const ns of [NOW_NS, 2_085_978_495_999_999_999n /* 2036-02-07, last second of era 0 */, 2_085_978_496_500_000_000n /* era 1 */]) {
      const back = fromNtpTimestamp(toNtpTimestamp(ns), ns);
      assert.ok(back - ns <= 1n && ns - back <= 1n, `${ns} → ${back}`);
    }
    assert.equal(toNtpTimestamp(1_000_000_000n) >> 32n, 2_208_988_801n, '1970-01-01T00:00:01Z is 2208988801 s after 1900');
  });

  it("writes a timestamp as toNtpTimestamp does, bit for bit, near the last one written and far from it", () => {
    const buf = Buffer.alloc(8);
    const written = (ns: bigint): bigint => {
      writeNtpTimestamp(buf, 0, ns);
      return buf.readBigUInt64BE(0);
    };
    let seed = 12345;
    const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
    const cases = [0n, 1n, 999_999_999n, 1_000_000_000n, NOW_NS, NOW_NS + 999_999_999n, 2_085_978_495_999_999_999n, 2_085_978_496_000_000_000n, 2_085_978_496_500_000_000n, 4_000_000_000_000_000_000n];
    for (let i = 0; i < 20_000; i++) cases.push(NOW_NS + BigInt(next()) * BigInt(next() % 4096) + BigInt(next() % 1_000_000_000)); // within and across seconds
    for (let i = 0; i < 2_000; i++) cases.push(BigInt(next()) * 1_000_000_000n + BigInt(next() % 1_000_000_000)); // far apart: a new second each time
    for (const ns of cases) assert.equal(written(ns), toNtpTimestamp(ns), `${ns}`);
  });

  it('writes and reads every header field', () => {
    const buf = writePacket({ leap: 0, version: 4, mode: MODE.SERVER, stratum: 3, poll: 6, precision: -20, rootDelay: 0.0125, rootDispersion: 0.5, refId: Buffer.from([127, 0, 0, 1]), reference: NOW_NS - 1_000_000_000n, originRaw: 0x1234_5678_9abc_def0n, receive: NOW_NS, transmit: NOW_NS + 1000n });
    assert.equal(buf.length, 48);
    const read = readPacket(buf, NOW_NS);
    assert.equal(read.kind, 'packet');
    if (read.kind !== 'packet') return;
    const p = read.packet;
    assert.deepEqual([p.leap, p.version, p.mode, p.stratum, p.poll, p.precision], [0, 4, 4, 3, 6, -20]);
    assert.ok(Math.abs(p.rootDelay - 0.0125) < 1 / 65536 && Math.abs(p.rootDispersion - 0.5) < 1 / 65536);
    assert.deepEqual([...p.refId], [127, 0, 0, 1]);
    assert.equal(p.originRaw, 0x1234_5678_9abc_def0n, 'origin echoed bit for bit');
    assert.ok(p.receive - NOW_NS <= 1n && NOW_NS - p.receive <= 1n);
  });

  it('refuses what is not an NTP header', () => {
    assert.match((readPacket(Buffer.alloc(47), NOW_NS) as { reason: string }).reason, /shorter than an NTP header/);
    const v0 = Buffer.alloc(48);
    v0[0] = 0x03; // version 0, mode 3
    assert.match((readPacket(v0, NOW_NS) as { reason: string }).reason, /version 0/);
  });
});
