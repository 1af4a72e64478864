// Bad input on the federation port: random bytes, a malformed HTTP/2 stream,
// and well-framed Link messages that make no sense; and on the NTP port,
// random datagrams. The node must close the offending link or stream (or
// drop the datagram), keep its data, and keep serving.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { strataProto } from '../../src/federation/grpc/grpc-adapter';
import { CLIENT_CHANNEL_OPTIONS, enrolAs, mutualCredentials } from '../support/identity';
import { checkHealth } from '../../src/federation/client/status-client';
import { SystemClock } from '../../src/kernel/clock';
import { eventually } from '../support/eventually';
import { Cluster } from '../support/cluster';
import { ntpQuery } from '../support/ntp-client';

describe('robustness of the federation port (real process)', function () {
  this.timeout(60_000);
  let dataDir: string;
  let cluster: Cluster;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-robust-'));
    cluster = await Cluster.start(dataDir, { topology: `
federation: { domain: edge.example., baseDn: 'dc=edge,dc=example' }
nodes:
  - { name: core, tier: core }
` });
    await cluster.api('core').setSetting('kept', 'yes');
  });

  after(async () => {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('drops random datagrams on the NTP port, counts them, and keeps answering', async () => {
    const [host, port] = cluster.ntp.get('core')!.split(':');
    // Every datagram from one socket, then a real request: its answer is the signal the junk before it was handled,
    // and it must be the only datagram that comes back.
    const socket = dgram.createSocket('udp4');
    const received: Buffer[] = [];
    socket.on('message', (message) => received.push(message));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      for (let i = 0; i < 300; i++) {
        const junk = randomBytes(1 + (i % 120));
        if (junk.length >= 48) junk[0] = (junk[0]! & ~0x07) | (i % 3 === 0 ? 4 : 6); // server or control mode: never a client request
        await new Promise<void>((resolve, reject) => socket.send(junk, Number(port), host, (err) => (err ? reject(err) : resolve())));
      }
      const request = Buffer.alloc(48);
      request[0] = 0x23; // LI 0, version 4, mode 3 (client)
      request.writeUInt32BE(0xdeadbeef, 40); // transmit timestamp, echoed as the origin timestamp
      // UDP may drop a datagram on a busy machine (300 arrived at once): the request is sent again until answered.
      let lastSent = 0;
      await eventually(() => {
        if (Date.now() - lastSent > 250) {
          socket.send(request, Number(port), host);
          lastSent = Date.now();
        }
        assert.ok(received.some((m) => m.length >= 48 && m.readUInt32BE(24) === 0xdeadbeef), 'the real request is answered');
      }, 10_000, 20);
      const others = received.filter((m) => !(m.length >= 48 && m.readUInt32BE(24) === 0xdeadbeef));
      assert.equal(others.length, 0, `only the real request was answered, not the ${300} datagrams before it`);
    } finally {
      socket.close();
    }
    const reply = await ntpQuery(cluster.ntp.get('core')!);
    assert.equal(reply?.stratum, 10, 'still serving');
    const metrics = await (await fetch(`http://127.0.0.1:${cluster.basePort + 4}/metrics`)).text();
    const dropped = [...metrics.matchAll(/^strata_ntp_requests_total\{result="(?:malformed|ignored)"[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    assert.ok(dropped >= 250, `dropped datagrams counted: ${dropped}`);
  });

  it('survives random bytes and broken HTTP/2 on the gRPC port', async () => {
    const [host, port] = cluster.grpc.get('core')!.split(':');
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const socket = net.connect(Number(port), host, () => {
          socket.write(i % 2 ? randomBytes(2000) : Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), randomBytes(500)]));
          setTimeout(() => socket.destroy(), 50);
        });
        socket.on('error', () => undefined);
        socket.on('close', () => resolve());
      });
    }
    assert.equal(await checkHealth(cluster.grpc.get('core')!, new SystemClock(), cluster.tls), 'SERVING');
  });

  it('closes a Link that sends nonsense, keeps its data, and keeps serving', async () => {
    // A node with a valid certificate (enrolled as 'intruder'): the nonsense gets past mutual TLS to the link itself.
    const client = new (strataProto().LinkService)(cluster.grpc.get('core')!, mutualCredentials(await enrolAs(cluster, 'intruder')), CLIENT_CHANNEL_OPTIONS);
    const call = client.Link();
    const ended = new Promise<string>((resolve) => {
      call.on('error', (err: grpc.ServiceError) => resolve(err.details));
      call.on('end', () => resolve('ended'));
      call.on('data', () => undefined);
    });
    call.write({ hello: { node: 'intruder', tier: 'site', cursors: [], subtree: [], ancestors: [], protocolVersion: 1 } });
    call.write({ changes: { dataset: 'settings', owner: 'core', epoch: 'x', changes: [{ seq: 1, op: 'explode', key: 'kept', value: Buffer.from('"no"') }] } });
    call.write({ changes: { dataset: 'zone:evil.', owner: 'intruder', epoch: 'e', changes: [{ seq: 1, op: 'put', key: 'k', value: Buffer.from('{not json') }] } });
    const reason = await Promise.race([ended, new Promise<string>((resolve) => setTimeout(() => resolve('still open'), 5000))]);
    call.cancel();
    client.close();
    assert.notEqual(reason, 'still open', 'the node closed the link');
    assert.equal((await cluster.api('core').getSetting('kept')).value, 'yes', 'its own data untouched');
    assert.equal(await checkHealth(cluster.grpc.get('core')!, new SystemClock(), cluster.tls), 'SERVING');
    assert.equal(cluster.processes.get('core')!.exitCode, null);
  });
});
