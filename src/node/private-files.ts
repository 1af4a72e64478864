// A node's data dir holds password hashes (the store), keys and join
// tokens: readable by the node's user only (DESIGN §7 trust model). Made
// 0700 when created, and tightened at every start (directories 0700, files
// 0600), so a data dir made by an older version, or by lmdb and a loose
// umask, does not stay readable by every local user. Symbolic links and
// files owned by someone else are left alone.

import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** chmod `dir` and everything under it to the node's user only; returns how many entries were changed. */
export function keepPrivate(dir: string): number {
  let changed = 0;
  const visit = (at: string): void => {
    let stat;
    try {
      stat = lstatSync(at);
    } catch {
      return; // gone meanwhile
    }
    if (stat.isSymbolicLink() || (process.getuid && stat.uid !== process.getuid())) return;
    const mode = stat.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
    if ((stat.mode & 0o777) !== mode) {
      chmodSync(at, mode);
      changed++;
    }
    if (stat.isDirectory()) for (const name of readdirSync(at)) visit(path.join(at, name));
  };
  visit(dir);
  return changed;
}
