// `strata backup` (a consistent copy of one node's state, taken over the API
// while it serves) and `strata restore` (unpacks one into a new data dir).

import { closeSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { SystemClock } from '../kernel/clock';
import { restoreBackup } from '../node/backup';
import { apiClient, type TlsOptions } from './client';

export interface BackupOptions extends TlsOptions {
  out: string;
  dataDir: string;
}

export async function runBackup(options: BackupOptions, out: (line: string) => void): Promise<void> {
  const file = path.resolve(options.out);
  const partial = `${file}.partial`;
  // It holds private keys (at the core, the CA's): readable by its owner only, from the first byte.
  const fd = openSync(partial, 'w', 0o600);
  try {
    for await (const chunk of apiClient(options).backup()) writeSync(fd, chunk);
    closeSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw err;
  }
  renameSync(partial, file);
  const target = options.node ?? options.addr ?? 'the core';
  out(`backup of ${target} written to ${file} (${(statSync(file).size / 1e6).toFixed(1)} MB); it holds the node's private keys: keep it as secret as the CA key`);
  out(`restore it with: strata restore ${options.out} --data-dir DIR`);
}

export async function runRestore(file: string, dataDir: string, out: (line: string) => void): Promise<void> {
  const { manifest, core } = await restoreBackup(path.resolve(file), dataDir, new SystemClock());
  out(`restored ${manifest.tier} ${manifest.node} (backup taken ${manifest.takenAt} by ${manifest.takenBy}, Strata ${manifest.strataVersion}, ${manifest.datasets.length} datasets) into ${path.resolve(dataDir)}`);
  out(`start it with a config whose name is ${manifest.node} and whose dataDir is ${path.resolve(dataDir)}; if its address changed, update its children's parents (and, for the core, the operators' CLI config)`);
  out('at its first start the datasets it owns get new epochs: replicas take the restored state, and changes made to them after the backup are gone; data owned by other nodes comes back from them');
  out(`if ${manifest.node}'s certificate was renewed after the backup, its parent refuses the restored one: re-enrol it with \`strata join-token ${manifest.node} --parents … --replace\``);
  if (core) out('this is the core: it makes its node certificate again for the addresses it runs on, and has a new join secret (join tokens made before the restore no longer work; revocations made after the backup must be made again)');
}
