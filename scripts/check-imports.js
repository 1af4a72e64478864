#!/usr/bin/env node
// Architecture check (run by `npm run lint` and by a unit test): imports
// between src/ folders must point one way —
//   cli → node → federation → naming | directory | time → store → kernel
//   node → core-group → store, kernel (the HA core on etcd)
// naming, directory and time never import each other, and federation imports
// only their index.ts or ports.ts; the CLI imports federation/client/index.ts
// only; federation's rooms import downward (ROOMS); each third-party library only in its
// adapter (LIBRARIES); src/ never imports test/ or bench/; and no import
// cycles between files (test/ and bench/ included). Prints each violation and exits 1 if any.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');
const OUTSIDE = [path.join(ROOT, 'test'), path.join(ROOT, 'bench')];
// Each layer may import itself and anything listed for it.
const ALLOWED = {
  kernel: [],
  store: ['kernel'],
  naming: ['store', 'kernel'],
  directory: ['store', 'kernel'],
  time: ['store', 'kernel'],
  federation: ['naming', 'directory', 'time', 'store', 'kernel'],
  'core-group': ['store', 'kernel'],
  node: ['federation', 'core-group', 'naming', 'directory', 'time', 'store', 'kernel'],
  cli: ['node', 'federation', 'core-group', 'naming', 'directory', 'time', 'store', 'kernel'],
};

const SERVICES = ['naming', 'directory', 'time'];
// Federation's rooms, lowest first; federation.ts (the composition) is above them all.
const ROOMS = ['grpc', 'link', 'writes', 'enrolment', 'client', 'ports', 'api', '(composition)'];
const roomOf = (file) => {
  const parts = path.relative(path.join(SRC, 'federation'), file).split(path.sep);
  return parts.length === 1 ? '(composition)' : parts[0];
};
// Each third-party library is used through its one adapter (paths under src/; a trailing '/' is a folder).
// A library not listed here is refused: add it with the file that adapts it.
const LIBRARIES = {
  // The server side and TLS in grpc/; the client side (channels, calls) in client/.
  '@grpc/grpc-js': ['federation/grpc/grpc-adapter.ts', 'federation/grpc/grpc-client-tls.ts', 'federation/grpc/generated/', 'federation/client/'],
  '@grpc/proto-loader': ['federation/grpc/grpc-adapter.ts', 'federation/grpc/generated/'],
  'grpc-health-check': ['federation/grpc/grpc-adapter.ts'],
  '@grpc/reflection': ['federation/grpc/reflection.ts'],
  protobufjs: ['federation/grpc/reflection.ts'],
  lmdb: ['store/engine/lmdb-env.ts'],
  ldapjs: ['directory/protocol/ldapjs-adapter.ts', 'directory/protocol/ldapjs.d.ts'],
  dns2: ['naming/server/dns2-adapter.ts'],
  etcd3: ['core-group/etcd-port.ts'],
  cockatiel: ['core-group/etcd-port.ts'],
  yaml: ['kernel/yaml-file.ts'],
  zod: ['node/config-schema.ts', 'cli/up/topology.ts'],
  commander: ['cli/'],
  pino: ['kernel/log.ts'],
  'prom-client': ['kernel/metrics.ts'],
  'node-forge': ['kernel/x509.ts'],
};
// createRequire hides a library from the import check: only the adapter that needs it (dns2 is CommonJS-only) may use it.
const CREATE_REQUIRE = ['naming/server/dns2-adapter.ts'];

function packageOf(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function allowedIn(list, rel) {
  return list.some((entry) => (entry.endsWith('/') ? rel.startsWith(entry) : rel === entry));
}

function libraryProblems(file) {
  const rel = path.relative(SRC, file).split(path.sep).join('/');
  const problems = [];
  for (const { spec } of importsOf(file)) {
    if (spec.startsWith('.') || spec.startsWith('node:')) continue;
    const lib = packageOf(spec);
    const allowed = LIBRARIES[lib];
    if (!allowed) problems.push(`${rel} imports ${spec}: a library scripts/check-imports.js does not know; add it to LIBRARIES with the one file that adapts it`);
    else if (!allowedIn(allowed, rel)) problems.push(`${rel} imports ${spec}: ${lib} is used through ${allowed.join(', ')} only`);
  }
  if (/\bcreateRequire\b/.test(fs.readFileSync(file, 'utf8')) && !allowedIn(CREATE_REQUIRE, rel)) problems.push(`${rel} uses createRequire: only ${CREATE_REQUIRE.join(', ')} may (it hides imports from this check)`);
  return problems;
}
const FRONT_DOORS = ['index.ts', 'ports.ts'];

function listFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return listFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

function listDeclarations(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return listDeclarations(full);
    return e.name.endsWith('.d.ts') ? [full] : [];
  });
}

function resolveImport(from, spec) {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate;
  return undefined;
}

function importsOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [];
  const re = /^\s*(?:import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) specs.push({ spec: m[2], typeOnly: Boolean(m[1]) });
  return specs;
}

function check() {
  const problems = [];
  const graph = new Map();
  const layerOf = (file) => path.relative(SRC, file).split(path.sep)[0];
  for (const file of listFiles(SRC).concat(listDeclarations(SRC))) problems.push(...libraryProblems(file));
  for (const file of listFiles(SRC)) {
    const edges = [];
    for (const { spec, typeOnly } of importsOf(file)) {
      const target = resolveImport(file, spec);
      if (!target) continue;
      const from = layerOf(file);
      const to = layerOf(target);
      if (from !== to && !(ALLOWED[from] || []).includes(to)) {
        problems.push(`${path.relative(SRC, file)} imports ${spec}: ${from} may not depend on ${to}`);
      }
      // Federation's rooms import downward only (types may point anywhere: they make no runtime edge).
      if (from === 'federation' && to === 'federation' && !typeOnly) {
        const [a, b] = [roomOf(file), roomOf(target)];
        if (a !== b && ROOMS.indexOf(a) < ROOMS.indexOf(b)) problems.push(`${path.relative(SRC, file)} imports ${spec}: federation/${a} may not depend on federation/${b} (rooms, lowest first: ${ROOMS.join(', ')})`);
      }
      // The CLI reaches federation through federation/client/index.ts only (what a program calling a node needs).
      if (from === 'cli' && to === 'federation' && path.relative(path.join(SRC, 'federation'), target) !== path.join('client', 'index.ts')) {
        problems.push(`${path.relative(SRC, file)} imports ${spec}: the CLI imports federation/client (its index.ts) only; export what it needs there`);
      }
      // Federation reaches the services through their front doors only: index.ts (what the folder offers) and ports.ts.
      if (from === 'federation' && SERVICES.includes(to) && !FRONT_DOORS.includes(path.relative(path.join(SRC, to), target))) {
        problems.push(`${path.relative(SRC, file)} imports ${spec}: federation may import only ${to}/index.ts or ${to}/ports.ts (export what it needs from ${to}/index.ts)`);
      }
      if (!typeOnly) edges.push(target);
    }
    graph.set(file, edges);
  }
  // test/ and bench/ may import anything of src/ (and src/ nothing of theirs); no cycles among them either.
  for (const dir of OUTSIDE) {
    for (const file of listFiles(dir)) {
      const edges = [];
      for (const { spec, typeOnly } of importsOf(file)) {
        const target = resolveImport(file, spec);
        if (target && !typeOnly) edges.push(target);
      }
      graph.set(file, edges);
    }
  }
  for (const [file, edges] of graph) {
    if (!file.startsWith(SRC + path.sep)) continue;
    for (const target of edges) if (OUTSIDE.some((dir) => target.startsWith(dir + path.sep))) problems.push(`${path.relative(SRC, file)} imports ${path.relative(ROOT, target)}: src/ may not depend on test/ or bench/`);
  }
  problems.push(...findCycles(graph).map((cycle) => `import cycle: ${cycle.map((f) => path.relative(ROOT, f)).join(' → ')}`));
  return problems;
}

function findCycles(graph) {
  const cycles = [];
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) || []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

module.exports = { check };

if (require.main === module) {
  const problems = check();
  for (const p of problems) console.error(p);
  if (problems.length > 0) process.exit(1);
  console.log('imports ok: layers point one way, no cycles');
}
