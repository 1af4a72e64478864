// Reading a file the user named on the command line: its text, or one line
// saying which file could not be read and why.

import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from '../kernel/errors';

export function readInputFile(file: string, what = 'file'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidArgumentError(`cannot read the ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
}
