// Version strings reported in status: Strata's own (from package.json) and the runtime's.

import { readFileSync } from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

export function strataVersion(): string {
  if (cached === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version?: string };
      cached = pkg.version ?? 'unknown';
    } catch {
      cached = 'unknown';
    }
  }
  return cached;
}
