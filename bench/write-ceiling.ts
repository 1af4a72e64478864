// The ceiling of a durable write over gRPC on this machine, as a reference for
// `bench writes` (like ldap-ceiling.ts for `bench ldap`): one process serving
// strata.v1.SettingsService/SetSetting over mutual TLS with a node's own
// identity, each call one durable commit through the store's lmdb engine
// (lmdb's writer thread, then the wait for the disk, as an owner's write) and
// its answer — no authorisation, no operator proof, no change log, no
// replication, no metrics. What the write path costs beyond this is Strata's.
// Usage: node dist/bench/write-ceiling.js PORT TLS_DIR DB_DIR
// (TLS_DIR holds ca.crt, node.key, node.crt; sends 'ready' over IPC once listening.)

import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { strataProto } from '../src/federation/grpc/grpc-adapter';
import { openLmdbEnv } from '../src/store/engine/lmdb-env';

const [port, tlsDir, dbDir] = process.argv.slice(2) as [string, string, string];
const read = (file: string): Buffer => readFileSync(path.join(tlsDir, file));

const env = openLmdbEnv(dbDir);
const records = env.table<string, { value: string }>('records');
let seq = 0;

const server = new grpc.Server();
server.addService(strataProto().SettingsService.service, {
  SetSetting: (call: grpc.ServerUnaryCall<{ key: string; value: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
    const { key, value } = call.request;
    env.write(() => records.put(key, { value })).then(
      () => callback(null, { seq: ++seq, owner: 'ceiling' }),
      (err: Error) => callback({ code: grpc.status.INTERNAL, details: err.message }),
    );
  },
});
const credentials = grpc.ServerCredentials.createSsl(read('ca.crt'), [{ private_key: read('node.key'), cert_chain: read('node.crt') }], true);
server.bindAsync(`127.0.0.1:${port}`, credentials, (err) => {
  if (err) {
    process.stderr.write(`write-ceiling: cannot listen on 127.0.0.1:${port}: ${err.message}\n`);
    process.exit(1);
  }
  process.send?.('ready');
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
