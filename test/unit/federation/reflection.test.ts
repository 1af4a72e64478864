import assert from 'node:assert/strict';
import path from 'node:path';
import { protoPath as healthProto } from 'grpc-health-check';
import { FileDescriptorProto } from 'protobufjs/ext/descriptor';
import { PROTO_DIR } from '../../../src/federation/grpc/grpc-adapter';
import { fileDescriptors } from '../../../src/federation/grpc/reflection';

type Described = { name: string; package: string; dependency: string[]; messageType: Array<{ name: string; field: Array<{ name: string; typeName?: string; label: number; oneofIndex?: number }>; nestedType: Array<{ name: string; options?: { mapEntry?: boolean } }> }>; service: Array<{ name: string; method: Array<{ name: string; inputType: string; serverStreaming?: boolean; clientStreaming?: boolean }> }> };

describe('federation: reflection descriptors', () => {
  const sources = ['strata/v1/link.proto', 'strata/v1/topology.proto', 'strata/v1/naming.proto'].map((name) => ({ name, file: path.join(PROTO_DIR, name) }));
  const files = fileDescriptors([...sources, { name: 'grpc/health/v1/health.proto', file: healthProto }]).map((b) => FileDescriptorProto.toObject(FileDescriptorProto.decode(b)) as Described);
  const file = (name: string) => files.find((f) => f.name === name)!;

  it('gives one file per .proto under the name importers use, with the imports it needs', () => {
    assert.deepEqual(files.map((f) => f.name), ['strata/v1/link.proto', 'strata/v1/topology.proto', 'strata/v1/naming.proto', 'grpc/health/v1/health.proto']);
    assert.equal(file('strata/v1/naming.proto').package, 'strata.v1');
    assert.deepEqual(file('strata/v1/topology.proto').dependency, ['strata/v1/link.proto']);
    assert.deepEqual(file('strata/v1/link.proto').dependency ?? [], []);
    assert.ok(file('strata/v1/naming.proto').service.some((s) => s.name === 'RecordService'));
    assert.ok(!file('strata/v1/topology.proto').messageType.some((m) => file('strata/v1/link.proto').messageType.some((l) => l.name === m.name)), 'each message in its own file only');
  });

  it('describes maps as protoc does (repeated <Field>Entry with map_entry), oneofs, streams and fully qualified types', () => {
    const list = file('grpc/health/v1/health.proto').messageType.find((m) => m.name === 'HealthListResponse')!;
    assert.deepEqual(list.nestedType.map((n) => [n.name, n.options?.mapEntry]), [['StatusesEntry', true]]);
    assert.equal(list.field[0]!.typeName, '.grpc.health.v1.HealthListResponse.StatusesEntry');
    assert.equal(list.field[0]!.label, 3);
    const link = file('strata/v1/link.proto');
    assert.ok(link.messageType.some((m) => m.field.some((f) => f.oneofIndex === 0)), 'oneof members point at their oneof');
    const session = link.service.flatMap((s) => s.method).find((m) => m.clientStreaming && m.serverStreaming);
    assert.ok(session, 'the link session is a bidirectional stream');
    assert.match(session.inputType, /^\.strata\.v1\./);
  });
});
