// A minimal SNTP client for tests (RFC 4330): one request, the reply's
// header and the server's offset from this machine's clock.

import dgram from 'node:dgram';
import { MODE, readPacket, toNtpTimestamp, writePacket, type NtpPacket } from '../../src/time/ntp-packet';

export interface NtpReply extends NtpPacket {
  /** Server minus local clock, ms (RFC 4330 §5). */
  offsetMs: number;
  delayMs: number;
}

const nowNs = (): bigint => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));

export function ntpQuery(address: string, timeoutMs = 1000): Promise<NtpReply | undefined> {
  const [host, port] = address.split(':');
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.close();
      resolve(undefined);
    }, timeoutMs);
    const t1 = nowNs();
    const request = writePacket({ leap: 0, version: 4, mode: MODE.CLIENT, stratum: 0, poll: 4, precision: -20, rootDelay: 0, rootDispersion: 0, refId: Buffer.alloc(4), reference: 0n, receive: 0n, transmit: t1 });
    socket.on('message', (message) => {
      const t4 = nowNs();
      const read = readPacket(message, t4);
      if (read.kind !== 'packet' || read.packet.originRaw !== toNtpTimestamp(t1)) return;
      clearTimeout(timer);
      socket.close();
      const p = read.packet;
      const offsetNs = (Number(p.receive - t1) + Number(p.transmit - t4)) / 2;
      const delayNs = Number(t4 - t1) - Number(p.transmit - p.receive);
      resolve({ ...p, offsetMs: offsetNs / 1e6, delayMs: delayNs / 1e6 });
    });
    socket.send(request, Number(port), host);
  });
}
