import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

describe('architecture', () => {
  it('keeps src/ layers pointing one way, without import cycles', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { check } = require(path.join(ROOT, 'scripts/check-imports.js')) as { check(): string[] };
    assert.deepEqual(check(), []);
  });

  it('has generated proto types that match proto/ (run `npm run gen` if this fails)', () => {
    const fresh = mkdtempSync(path.join(os.tmpdir(), 'strata-gen-'));
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'scripts/gen-proto.js'), fresh], { cwd: ROOT, stdio: 'pipe' });
      const committedDir = path.join(ROOT, 'src/federation/grpc/generated');
      const rel = (base: string) => (f: string) => path.relative(base, f);
      const freshFiles = listFiles(fresh).map(rel(fresh)).sort();
      assert.deepEqual(listFiles(committedDir).map(rel(committedDir)).sort(), freshFiles);
      for (const file of freshFiles) {
        assert.equal(readFileSync(path.join(committedDir, file), 'utf8'), readFileSync(path.join(fresh, file), 'utf8'), `${file} is stale`);
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
