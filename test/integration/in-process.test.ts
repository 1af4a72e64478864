// Two nodes in one process (issue 12: no process-global state), as the scale
// harness will run hundreds: a core and a site with mutual TLS, each with its
// own certificate, beside this test acting as the operator with a third
// identity. With a process-wide client identity the site's enrolment would
// have replaced the operator's, and the core's link client would have
// presented the wrong certificate.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { TLSSocket } from 'node:tls';
import path from 'node:path';
import { stringify } from 'yaml';
import { nodeConfigFor, parseTopology } from '../../src/cli/up/topology';
import { prepareTls } from '../../src/cli/up/up-tls';
import { ApiClient } from '../../src/federation/client/api-client';
import { ClientTls } from '../../src/federation/grpc/grpc-adapter';
import { SystemClock } from '../../src/kernel/clock';
import { silentLogger } from '../../src/kernel/log';
import { loadConfigFile } from '../../src/node/config';
import { loadIdentity } from '../../src/node/identity';
import { StrataNode } from '../../src/node/node';
import { eventually } from '../support/eventually';
import { freeBasePort } from '../support/ports';

const TOPOLOGY = 'nodes:\n  - { name: core, tier: core, portOffset: 0 }\n  - { name: berlin, tier: site, parents: [core], portOffset: 10 }\n';

describe('two nodes in one process (no process-global state)', function () {
  this.timeout(60_000);
  let dir: string;
  const nodes: StrataNode[] = [];

  after(async () => {
    for (const node of nodes.reverse()) await node.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('links a site to its core, each with its own certificate, while the operator writes through both', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-inproc-'));
    const clock = new SystemClock();
    const topology = parseTopology(TOPOLOGY, 'test topology');
    const tls = prepareTls(topology, dir, clock);
    const basePort = await freeBasePort();
    const grpc: Record<string, string> = {};
    for (const node of topology.nodes) {
      const config = { ...nodeConfigFor(topology, node, basePort, dir), ...(tls.tokens[node.name] ? { security: { joinToken: tls.tokens[node.name] } } : {}) } as { listen: { grpc: string } };
      grpc[node.name] = config.listen.grpc;
      mkdirSync(path.join(dir, node.name), { recursive: true });
      const file = path.join(dir, node.name, 'node.yaml');
      writeFileSync(file, stringify(config));
      const strataNode = new StrataNode(loadConfigFile(file), { clock, logger: silentLogger() });
      nodes.push(strataNode);
      await strataNode.start();
    }
    const operator = new ClientTls(tls.operator);
    // Forwarded to the core over berlin's own link, once it is up.
    await eventually(async () => void (await new ApiClient(grpc['berlin']!, clock, operator).setSetting('motd', 'two in one')), 20_000, 200);
    await eventually(async () => assert.equal((await new ApiClient(grpc['berlin']!, clock, operator).getSetting('motd')).value, 'two in one'), 10_000, 100);
    const atCore = await new ApiClient(grpc['core']!, clock, operator).getSetting('motd');
    assert.equal(atCore.value, 'two in one');
    await assert.rejects(new ApiClient(grpc['core']!, clock, ClientTls.PLAINTEXT).getSetting('motd'), /did not answer|UNAVAILABLE|unavailable/i, 'a plaintext client is still refused by the mTLS node');

    // The caller's certificate is read once per connection, not per call (grpc-js builds the whole peer certificate
    // object each time: 14 % of a busy core's CPU), and two connections with different certificates stay apart.
    const asOperator = new ApiClient(grpc['core']!, clock, operator).keepChannel();
    const asNode = new ApiClient(grpc['core']!, clock, new ClientTls(loadIdentity(path.join(dir, 'berlin'))!)).keepChannel();
    const reads = { count: 0 };
    const original = TLSSocket.prototype.getPeerCertificate;
    TLSSocket.prototype.getPeerCertificate = function (this: TLSSocket, ...args: [boolean?]) {
      reads.count++;
      return original.apply(this, args as [true]);
    } as typeof original;
    try {
      await asOperator.setSetting('per.connection', '0');
      await assert.rejects(asNode.setSetting('per.connection', 'node'), /needs an operator certificate.*this caller is node berlin/);
      const first = reads.count;
      for (let i = 1; i <= 20; i++) {
        await asOperator.setSetting('per.connection', String(i));
        await assert.rejects(asNode.setSetting('per.connection', 'node'), /this caller is node berlin/, `call ${i}: the node's connection is still the node's`);
      }
      assert.equal((await asOperator.getSetting('per.connection')).value, '20', 'the operator\'s connection is still the operator\'s');
      assert.equal(reads.count, first, `no certificate read after the first call on each connection (${reads.count - first} more)`);
    } finally {
      TLSSocket.prototype.getPeerCertificate = original;
      asOperator.close();
      asNode.close();
    }
  });
});
