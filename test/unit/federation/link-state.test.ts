// The link's state without a stream: Hello (versions), heartbeats, watchdog.

import assert from 'node:assert/strict';
import { applyHeartbeat, heartbeatOf, peerFromHello, PROTOCOL_VERSION, watchdog, type HelloInfo } from '../../../src/federation/link/link-state';
import type { Hello__Output } from '../../../src/federation/grpc/generated/strata/v1/Hello';

const local: HelloInfo = {
  node: 'eu', tier: 'regional', subtree: [], ancestors: ['core'], federationDomain: 'edge.example.', baseDn: 'dc=edge,dc=example', upstreamConnected: true,
  zone: 'eu.edge.example.', dnsAddress: '127.0.0.1:15311', ntpAddress: '127.0.0.1:15312', ldapAddress: '127.0.0.1:15313', protocolVersion: PROTOCOL_VERSION,
};

function hello(version: number): Hello__Output {
  return {
    node: 'berlin', tier: 'site', cursors: [{ dataset: 'settings', epoch: 'e1', seq: 7 }], subtree: ['kiosk'], ancestors: [], federationDomain: '', baseDn: '',
    protocolVersion: version, upstreamConnected: false, zone: '', dnsAddress: '', ntpAddress: '', ldapAddress: '',
  } as unknown as Hello__Output;
}

describe('link state (pure)', () => {
  it('takes the peer from its Hello and agrees on the older protocol; refuses one too far apart, saying both versions', () => {
    const older = peerFromHello(hello(PROTOCOL_VERSION - 1), local);
    assert.ok('peer' in older);
    assert.equal(older.peer.protocolVersion, PROTOCOL_VERSION - 1);
    assert.deepEqual([...older.peer.subtree], ['berlin', 'kiosk']);
    assert.deepEqual(older.peer.cursors.get('settings'), { epoch: 'e1', seq: 7 });
    const newer = peerFromHello(hello(PROTOCOL_VERSION + 1), local);
    assert.ok('peer' in newer && newer.peer.protocolVersion === PROTOCOL_VERSION);
    const far = peerFromHello(hello(PROTOCOL_VERSION + 2), local);
    assert.ok('refused' in far);
    assert.match(far.refused, new RegExp(`node berlin speaks link protocol ${PROTOCOL_VERSION + 2}; node eu \\(protocol ${PROTOCOL_VERSION}\\)`));
    assert.ok('refused' in peerFromHello(hello(0), local), 'a peer that says no version at all');
  });

  it('takes what a heartbeat says, and says whether anything a child is delegated from changed', () => {
    const outcome = peerFromHello(hello(PROTOCOL_VERSION), local);
    assert.ok('peer' in outcome);
    const peer = outcome.peer;
    const beat = { ...heartbeatOf({ ...local, zone: 'berlin.eu.edge.example.', upstreamConnected: true }, 1000) } as never;
    assert.equal(applyHeartbeat(peer, beat), true);
    assert.equal(peer.zone, 'berlin.eu.edge.example.');
    assert.equal(peer.upstreamConnected, true);
    assert.equal(applyHeartbeat(peer, beat), false, 'the same again: nothing changed');
  });

  it('calls a peer dead only after the missed heartbeats', () => {
    const timing = { heartbeatMs: 1000, missedHeartbeats: 3 };
    assert.equal(watchdog(13_000, 10_000, timing, 'parent core'), undefined);
    assert.match(watchdog(13_001, 10_000, timing, 'parent core') ?? '', /no message from parent core for 3001 ms \(missed heartbeats\)/);
  });
});
