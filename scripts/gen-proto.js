#!/usr/bin/env node
// Regenerates the TypeScript types for proto/ into src/federation/grpc/generated
// (or into the folder given as the first argument, which the staleness test
// uses). Fixed flags: the runtime loader in src/federation/grpc/grpc-adapter.ts
// must use the same options.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outDir = path.resolve(process.argv[2] || path.join(root, 'src/federation/grpc/generated'));
const protoDir = path.join(root, 'proto');
const files = fs
  .readdirSync(path.join(protoDir, 'strata/v1'))
  .filter((f) => f.endsWith('.proto'))
  .sort()
  .map((f) => `strata/v1/${f}`);

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
execFileSync(
  process.execPath,
  [
    require.resolve('@grpc/proto-loader/build/bin/proto-loader-gen-types.js'),
    '--keepCase=false',
    '--longs=Number',
    '--enums=String',
    '--defaults',
    '--oneofs',
    '--grpcLib=@grpc/grpc-js',
    '--includeDirs', protoDir,
    '--outDir', outDir,
    ...files,
  ],
  { stdio: 'inherit', cwd: root },
);

// The generator writes absolute paths into headers; make output machine-independent.
(function stripRoot(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) stripRoot(file);
    else fs.writeFileSync(file, fs.readFileSync(file, 'utf8').split(`${root}/`).join(''));
  }
})(outDir);
