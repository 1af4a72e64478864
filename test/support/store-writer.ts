// Child process for the store's kill -9 test. Opens a store in the directory
// given as argv[2] and writes to dataset "crash" in many concurrent batches,
// forever; after each write() resolves it prints one JSON line per
// acknowledged change ({seq, op, key, value}). The test SIGKILLs it mid-burst.

import { SystemClock } from '../../src/kernel/clock';
import { Store, type Mutation } from '../../src/store';

const CONCURRENT_WRITES = 20;
const BATCH = 10;
const KEYS = 997;

async function main(dir: string): Promise<void> {
  const store = await Store.open({ dir, nodeName: 'writer', clock: new SystemClock() });
  await store.ensureDataset('crash');
  let n = 0;
  const nextBatch = (): Mutation[] =>
    Array.from({ length: BATCH }, () => {
      n++;
      const key = `k${n % KEYS}`;
      return n % 7 === 0 ? { op: 'delete', key } : { op: 'put', key, value: { n, pid: process.pid } };
    });
  const writer = async (): Promise<never> => {
    for (;;) {
      const changes = await store.write('crash', nextBatch());
      const lines = changes.map((c) => JSON.stringify({ seq: c.seq, op: c.op, key: c.key, value: c.value }));
      process.stdout.write(lines.join('\n') + '\n');
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_WRITES }, writer));
}

main(process.argv[2]).catch((err: unknown) => {
  process.stderr.write(`store-writer failed: ${String(err)}\n`);
  process.exit(1);
});
