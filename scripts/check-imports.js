#!/usr/bin/env node
// Architecture check (run by `npm run lint` and by a unit test): imports
// between src/ folders must point one way —
//   cli → node → federation → naming | directory | time → store → kernel
//   node → core-group → store, kernel (the HA core on etcd)
// naming, directory and time never import each other, and federation imports
// only their index.ts or ports.ts; and no import cycles between files. Prints each violation and exits 1 if any.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const SRC = path.resolve(__dirname, '..', 'src');
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
const FRONT_DOORS = ['index.ts', 'ports.ts'];

function listFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return listFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
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
      // Federation reaches the services through their front doors only: index.ts (what the folder offers) and ports.ts.
      if (from === 'federation' && SERVICES.includes(to) && !FRONT_DOORS.includes(path.relative(path.join(SRC, to), target))) {
        problems.push(`${path.relative(SRC, file)} imports ${spec}: federation may import only ${to}/index.ts or ${to}/ports.ts (export what it needs from ${to}/index.ts)`);
      }
      if (!typeOnly) edges.push(target);
    }
    graph.set(file, edges);
  }
  problems.push(...findCycles(graph).map((cycle) => `import cycle: ${cycle.map((f) => path.relative(SRC, f)).join(' → ')}`));
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
