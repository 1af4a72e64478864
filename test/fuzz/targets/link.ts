// Link messages (strata.v1.LinkMessage) as a node takes them off a tier
// link: the gRPC method's request deserializer from the project's own proto
// loading (grpc-adapter packageDefinition(), the function grpc-js calls on
// every received message), then the link codec on what replication and
// write forwarding read (fromWireBatch, fromWireEntries, fromWireMutations).
// 'rejected': protobuf decoding failed — grpc-js catches whatever the
// deserializer throws and ends the call with INTERNAL, so the type of that
// error does not matter. The codec throws only InvalidArgumentError.

import { packageDefinition } from '../../../src/federation/grpc/grpc-adapter';
import { fromWireBatch, fromWireEntries, fromWireMutations } from '../../../src/federation/link/link-codec';
import type { LinkMessage, LinkMessage__Output } from '../../../src/federation/link/link-stream';
import type { Outcome, Target } from '../target';

interface Method {
  requestSerialize(value: unknown): Buffer;
  requestDeserialize(bytes: Buffer): unknown;
}

export function linkMethod(): Method {
  return (packageDefinition()['strata.v1.LinkService'] as unknown as Record<string, Method>)['Link']!;
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

export function linkMessages(): LinkMessage[] {
  return [
    { hello: { node: 'berlin', tier: 'site', cursors: [{ dataset: 'zone:edge.example.', epoch: 'e1', seq: 42 }], subtree: ['berlin'], ancestors: ['eu', 'core'], federationDomain: 'edge.example.', baseDn: 'dc=edge,dc=example', protocolVersion: 1, upstreamConnected: true, zone: 'berlin.eu.edge.example.', dnsAddress: '127.0.0.1:15331', ntpAddress: '127.0.0.1:15333', ldapAddress: '127.0.0.1:15332' } },
    { heartbeat: { sentMs: 1_767_225_600_000, upstreamConnected: true, zone: 'berlin.eu.edge.example.', dnsAddress: '127.0.0.1:15331' } },
    { changes: { dataset: 'zone:berlin.eu.edge.example.', owner: 'berlin', epoch: 'e1', changes: [{ seq: 1, op: 'put', key: 'printer.berlin.eu.edge.example|A|10.0.0.5', value: json({ ttl: 300, data: { address: '10.0.0.5' } }), timeMs: 5 }, { seq: 2, op: 'delete', key: 'old|A|10.0.0.6', timeMs: 6 }], headSeq: 2, headTimeMs: 6 } },
    { ack: { dataset: 'settings', epoch: 'e1', seq: 9 } },
    { snapshotBegin: { dataset: 'settings', owner: 'core', epoch: 'e2', seq: 10, entries: 2 } },
    { snapshotChunk: { dataset: 'settings', entries: [{ key: 'motd', value: json('hello edge') }, { key: 'n', value: json({ a: [1, 2, { b: null }] }) }] } },
    { snapshotEnd: { dataset: 'settings' } },
    { resync: { dataset: 'settings', reason: 'epoch changed' } },
    { status: { nodes: [{ name: 'berlin', tier: 'site', parent: 'eu', connected: true, lastSeenMs: 5, datasets: [{ name: 'settings', owner: 'core', seq: 3, lagChanges: 1, lagMs: 20 }], grpcAddress: '127.0.0.1:15330', uptimeMs: 1000, clock: { synchronized: true, stratum: 12, offsetS: 0.0001, rootDispersionS: 0.002 } }] } },
    { writeRequest: { id: 7, dataset: 'settings', mutations: [{ op: 'put', key: 'motd', value: json('hi'), expect: '{"exists":false}' }, { op: 'delete', key: 'x' }], origin: 'berlin', hops: 1, timeoutMs: 5000, ownerHint: 'core' } },
    { writeResult: { id: 7, errorCode: '', errorMessage: '', epoch: 'e1', seq: 11, owner: 'core' } },
  ];
}

/** Offsets of protobuf length prefixes (single-byte varints) found by walking `buf` leniently. */
export function protobufLengthFields(buf: Buffer): number[] {
  const out: number[] = [];
  const walk = (start: number, end: number, depth: number): void => {
    let at = start;
    while (at < end && out.length < 256) {
      const key = buf[at++]!;
      if (key & 0x80) return;
      const wire = key & 7;
      if (wire === 0) {
        while (at < end && buf[at]! & 0x80) at++;
        at++;
      } else if (wire === 1) at += 8;
      else if (wire === 5) at += 4;
      else if (wire === 2) {
        if (at >= end || buf[at]! & 0x80) return;
        out.push(at);
        const length = buf[at++]!;
        if (at + length > end) return;
        if (depth < 16) walk(at, at + length, depth + 1);
        at += length;
      } else return;
    }
  };
  walk(0, buf.length, 0);
  return out;
}

export function linkTarget(): Target {
  const method = linkMethod();
  return {
    name: 'link',
    entry: 'LinkService.Link requestDeserialize (proto-loader), link-codec fromWire*',
    seeds: () => linkMessages().map((m) => method.requestSerialize(m)),
    lengthFields: protobufLengthFields,
    maxBytes: 16 * 1024,
    run(input: Buffer): Outcome {
      let message: LinkMessage__Output;
      try {
        message = method.requestDeserialize(input) as LinkMessage__Output;
      } catch {
        return 'rejected';
      }
      if (message.changes) fromWireBatch(message.changes);
      if (message.snapshotChunk) fromWireEntries(message.snapshotChunk.entries);
      if (message.writeRequest) fromWireMutations(message.writeRequest.mutations);
      return 'accepted';
    },
  };
}
