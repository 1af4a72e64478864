// `npm run bench -- NAME`: runs one benchmark, which prints a table.
// Benchmarks measure; they never pass or fail on timings.

import { dns } from './dns';
import { ldap } from './ldap';
import { ntp } from './ntp';
import { propagation } from './propagation';
import { scale } from './scale';
import { writes } from './writes';

const BENCHMARKS: Record<string, () => Promise<void>> = { propagation, dns, writes, ldap, scale, ntp };

async function main(): Promise<void> {
  const name = process.argv[2];
  const bench = name ? BENCHMARKS[name] : undefined;
  if (!bench) {
    process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}>\n`);
    process.exit(2);
  }
  await bench();
  process.exit(0);
}

void main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
