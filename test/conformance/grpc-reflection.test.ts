// gRPC server reflection checked by a strict client: every file a node's
// reflection service gives (both v1 and v1alpha, as grpcurl and Postman ask)
// is added to Python's protobuf DescriptorPool (Debian python3-protobuf, the
// C++ implementation), which validates it as protoc would: real file names,
// imports that resolve, map entries named <Field>Entry.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import { FileDescriptorProto } from 'protobufjs/ext/descriptor';
import * as grpc from '@grpc/grpc-js';
import { type ClientTls } from '../../src/federation/grpc/grpc-adapter';
import { Cluster } from '../support/cluster';
import { PYTHON, requirePythonModules } from '../support/debian-tools';

const REFLECTION_PROTO = path.join(path.dirname(require.resolve('@grpc/reflection/package.json')), 'build/proto/grpc/reflection');

/** The name and imports of an encoded FileDescriptorProto. */
function fileOf(bytes: Buffer): { name: string; dependency: string[] } {
  return FileDescriptorProto.decode(bytes) as unknown as { name: string; dependency: string[] };
}

type Reply = { fileDescriptorResponse?: { fileDescriptorProto: Buffer[] }; listServicesResponse?: { service: Array<{ name: string }> }; errorResponse?: { errorCode: number; errorMessage: string } };

/** One reflection stream (v1 or v1alpha) at `address`; ask() sends a request and waits for its reply. */
function reflectionClient(address: string, tls: ClientTls, version: 'v1' | 'v1alpha'): { ask(request: Record<string, string>): Promise<Reply>; close(): void } {
  const definition = protoLoader.loadSync(path.join(REFLECTION_PROTO, version, 'reflection.proto'), { keepCase: false, oneofs: true });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { grpc: { reflection: Record<string, { ServerReflection: grpc.ServiceClientConstructor }> } };
  const client = new pkg.grpc.reflection[version]!.ServerReflection(address, tls.credentials(undefined));
  const stream = (client as unknown as { serverReflectionInfo(): grpc.ClientDuplexStream<unknown, Reply> }).serverReflectionInfo();
  const waiting: Array<(r: Reply) => void> = [];
  stream.on('data', (reply: Reply) => waiting.shift()?.(reply));
  stream.on('error', () => undefined);
  return {
    ask: (request) => new Promise((resolve) => {
      waiting.push(resolve);
      stream.write(request);
    }),
    close: () => {
      stream.end();
      client.close();
    },
  };
}

describe('gRPC reflection conformance (python3-protobuf)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let cluster: Cluster;

  before(async function () {
    requirePythonModules(['google.protobuf']);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'strata-conf-refl-'));
    cluster = await Cluster.start(dataDir, { topology: 'nodes:\n  - { name: core, tier: core, portOffset: 0 }\n' });
  });

  after(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const version of ['v1', 'v1alpha'] as const) {
    it(`${version}: every service's files, with their imports, load into a validating DescriptorPool under their real names`, async () => {
      const reflection = reflectionClient(cluster.grpc.get('core')!, cluster.tls, version);
      try {
        const services = (await reflection.ask({ listServices: '' })).listServicesResponse!.service.map((s) => s.name);
        assert.ok(services.includes('grpc.health.v1.Health'), services.join(' '));
        assert.ok(services.includes('strata.v1.RecordService'), services.join(' '));
        const files = new Map<string, Buffer>();
        const take = (reply: Reply): void => {
          assert.ok(reply.fileDescriptorResponse, JSON.stringify(reply.errorResponse));
          for (const bytes of reply.fileDescriptorResponse.fileDescriptorProto) files.set(fileOf(bytes).name, bytes);
        };
        for (const service of services.filter((s) => !s.startsWith('grpc.reflection.'))) take(await reflection.ask({ fileContainingSymbol: service }));
        take(await reflection.ask({ fileByFilename: 'strata/v1/naming.proto' }));
        // Follow imports the way a client does, by file name.
        for (let missing = [...files.values()].flatMap((b) => fileOf(b).dependency).filter((d) => !files.has(d)); missing.length > 0; missing = [...files.values()].flatMap((b) => fileOf(b).dependency).filter((d) => !files.has(d))) {
          take(await reflection.ask({ fileByFilename: missing[0]! }));
        }
        assert.ok(files.has('strata/v1/link.proto') && files.has('grpc/health/v1/health.proto'), [...files.keys()].join(' '));
        assert.ok(!files.has('strata_v1.proto'), 'no made-up merged file');
        const dump = path.join(dataDir, `${version}.txt`);
        writeFileSync(dump, [...files.values()].map((b) => b.toString('base64')).join('\n'));
        const script = `
import base64, sys
from google.protobuf import descriptor_pb2, descriptor_pool
protos = [descriptor_pb2.FileDescriptorProto.FromString(base64.b64decode(l)) for l in open(sys.argv[1]).read().split()]
pool, added = descriptor_pool.DescriptorPool(), set()
while len(added) < len(protos):
    ready = [p for p in protos if p.name not in added and all(d in added for d in p.dependency)]
    if not ready: sys.exit('unresolvable imports: ' + ' '.join(p.name for p in protos if p.name not in added))
    for p in ready:
        pool.AddSerializedFile(p.SerializeToString()); added.add(p.name)
for name in sys.argv[2:]: pool.FindServiceByName(name)
entry = pool.FindMessageTypeByName('grpc.health.v1.HealthListResponse').fields_by_name['statuses'].message_type
print(entry.full_name, entry.GetOptions().map_entry, pool.FindFileByName('strata/v1/naming.proto').name)
`;
        const run = spawnSync(PYTHON, ['-c', script, dump, ...services.filter((s) => !s.startsWith('grpc.reflection.'))], { encoding: 'utf8' });
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.stdout.trim(), 'grpc.health.v1.HealthListResponse.StatusesEntry True strata/v1/naming.proto');
      } finally {
        reflection.close();
      }
    });
  }
});
