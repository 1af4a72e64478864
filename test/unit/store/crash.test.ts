import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FakeClock } from '../../../src/kernel/clock';
import { Store, type Change } from '../../../src/store';

const WRITER = resolve(__dirname, '../../support/store-writer.js');

interface Ack {
  seq: number;
  op: 'put' | 'delete';
  key: string;
  value?: unknown;
}

/** Runs the writer until it has acknowledged at least `minAcks` changes, then SIGKILLs it. */
function runAndKill(dir: string, minAcks: number): Promise<Ack[]> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [WRITER, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.split('\n').length > minAcks && !child.killed) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return fail(new Error(`writer exited early (code ${code}): ${err}`));
      const complete = out.slice(0, out.lastIndexOf('\n'));
      done(complete.split('\n').map((line) => JSON.parse(line) as Ack));
    });
  });
}

function wholeLog(store: Store, name: string, fromSeq: number): Change[] {
  const changes: Change[] = [];
  for (let after = fromSeq - 1; ; ) {
    const page = store.since(name, after, { limit: 5000 });
    assert.ok(page.kind === 'changes', `since(${after}) answered ${JSON.stringify(page)}`);
    if (page.changes.length === 0) return changes;
    changes.push(...page.changes);
    after = page.changes[page.changes.length - 1].seq;
  }
}

describe('store: kill -9 during a write burst', function () {
  this.timeout(60_000);

  for (const round of [1, 2, 3]) {
    it(`keeps every acknowledged change and a consistent log (round ${round})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'strata-crash-'));
      try {
        const acks = await runAndKill(dir, 200 + round * 150);
        assert.ok(acks.length >= 200, `only ${acks.length} acks`);
        const store = await Store.open({ dir, nodeName: 'writer', clock: new FakeClock() });
        try {
          const info = store.dataset('crash');
          assert.ok(info, 'dataset survives');
          const log = wholeLog(store, 'crash', info.firstSeq);
          assert.deepEqual(log.map((c) => c.seq), Array.from({ length: info.seq - info.firstSeq + 1 }, (_, i) => info.firstSeq + i),
            'log is contiguous from firstSeq to seq');
          const bySeq = new Map(log.map((c) => [c.seq, c]));
          for (const ack of acks) {
            const change = bySeq.get(ack.seq);
            assert.ok(change, `acknowledged seq ${ack.seq} is missing (store at seq ${info.seq})`);
            const { seq, op, key, value } = change;
            assert.deepEqual(op === 'put' ? { seq, op, key, value } : { seq, op, key }, ack);
          }
          const replayed = new Map<string, unknown>();
          for (const c of log) {
            if (c.op === 'put') replayed.set(c.key, c.value);
            else replayed.delete(c.key);
          }
          const records = store.entries('crash');
          assert.deepEqual(new Map(records.map((e) => [e.key, e.value])), replayed, 'replaying the log gives the records');
          assert.equal(info.entries, records.length);
          const [next] = await store.write('crash', [{ op: 'put', key: 'after', value: 1 }]);
          assert.equal(next.seq, info.seq + 1, 'the store keeps writing after recovery');
        } finally {
          await store.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
