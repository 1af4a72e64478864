// Backup and restore of one node's state (`strata backup`, `strata restore`).
//
// The archive is a gzip-compressed ustar file: `strata-backup.json` (the
// manifest), `store/data.mdb` (a compacted lmdb copy taken while the node
// serves: every dataset, the revocation list, used join tokens, indexes) and
// `tls/` (the node's key and certificate; at the core also the CA key, the
// join secret and the certificates it issued).
//
// A restored node must not hand its replicas a history that forks from the
// one they hold (changes made after the backup carry the same seqs as the
// ones it will make now): at its first start it gives every dataset it owns a
// new epoch, so every replica takes a snapshot of the restored state. Data
// owned below it is not lost: its replicas are older, and the owners send
// what they miss. A restored core also gets a new join secret (tokens made
// before the restore could otherwise be used again) and makes its own node
// certificate again for the machine it now runs on.

import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { isoTime, type Clock } from '../kernel/clock';
import { AlreadyExistsError, FailedPreconditionError, InvalidArgumentError, NotFoundError, UnavailableError } from '../kernel/errors';
import type { Logger } from '../kernel/log';
import { readTar, tarEnd, tarHeader, tarNameFits, tarPadding } from '../kernel/tar';
import type { Store } from '../store';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files';
import { strataVersion } from './version';

export const BACKUP_FORMAT = 1;
const MANIFEST = 'strata-backup.json';
/** Left in a restored data dir until the node's first start has renewed its datasets' epochs. */
const RESTORED_MARK = 'restored.json';
const CHUNK = 1 << 20;

export interface BackupManifest {
  format: number;
  node: string;
  tier: string;
  strataVersion: string;
  takenAt: string;
  takenBy: string;
  /** The datasets held just before the copy was taken (the copy is at least this far). */
  datasets: Array<{ name: string; owner: string; role: string; epoch: string; seq: number }>;
}

export interface BackupSource {
  dataDir: string;
  store: Store;
  node: string;
  tier: string;
  clock: Clock;
  logger: Logger;
}

/** The archive of the node's state now, as gzip bytes in chunks of up to 1 MiB. */
export async function* backupArchive(source: BackupSource, takenBy: string): AsyncGenerator<Buffer> {
  // The small files are read whole first (a renewal may replace or remove some meanwhile), and every
  // name checked as restore will check it: a backup that cannot be restored fails now, not in a disaster.
  const tlsDir = path.join(source.dataDir, 'tls');
  const small = filesUnder(tlsDir).flatMap((file) => {
    const name = `tls/${path.relative(tlsDir, file).split(path.sep).join('/')}`;
    try {
      return [{ name: checkedName(name), content: readFileSync(file) }];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []; // gone meanwhile (a pending key installed)
      throw err;
    }
  });
  const work = await mkdtemp(path.join(source.dataDir, 'backup-'));
  const gzip = createGzip();
  let tar: Readable | undefined;
  try {
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT, node: source.node, tier: source.tier, strataVersion: strataVersion(),
      takenAt: isoTime(source.clock.nowMs()), takenBy,
      datasets: source.store.datasets().map((d) => ({ name: d.name, owner: d.owner, role: d.role, epoch: d.epoch, seq: d.seq })),
    };
    await source.store.copyTo(work);
    source.logger.info({ by: takenBy, datasets: manifest.datasets.length, bytes: statSync(path.join(work, 'data.mdb')).size }, 'backup taken');
    tar = Readable.from(tarStream(JSON.stringify(manifest, null, 2), path.join(work, 'data.mdb'), small, Math.floor(source.clock.nowMs() / 1000)));
    // A failure while reading goes to the reader below (as an error it throws), never unhandled.
    tar.on('error', (err) => gzip.destroy(err));
    tar.pipe(gzip);
    let pending: Buffer[] = [];
    let size = 0;
    for await (const piece of gzip as AsyncIterable<Buffer>) {
      pending.push(piece);
      size += piece.length;
      if (size >= CHUNK) {
        yield Buffer.concat(pending);
        pending = [];
        size = 0;
      }
    }
    if (size > 0) yield Buffer.concat(pending);
  } finally {
    // Also when the reader stops early (the client cancelled): nothing left open on the copy.
    tar?.destroy();
    gzip.destroy();
    await rm(work, { recursive: true, force: true });
  }
}

async function* tarStream(manifest: string, store: string, small: Array<{ name: string; content: Buffer }>, mtimeS: number): AsyncGenerator<Buffer> {
  const whole = (name: string, content: Buffer): Buffer[] => [tarHeader({ name, mode: PRIVATE_FILE_MODE, mtimeS, size: content.length }), content, tarPadding(content.length)];
  yield* whole(MANIFEST, Buffer.from(manifest));
  const size = statSync(store).size;
  yield tarHeader({ name: 'store/data.mdb', mode: PRIVATE_FILE_MODE, mtimeS, size });
  let sent = 0;
  // Exactly `size` bytes (the header said so); the copy is ours, nothing writes to it.
  for await (const chunk of (size === 0 ? [] : createReadStream(store, { start: 0, end: size - 1 })) as AsyncIterable<Buffer>) {
    const piece = chunk.subarray(0, size - sent);
    sent += piece.length;
    yield piece;
  }
  if (sent < size) yield Buffer.alloc(size - sent);
  yield tarPadding(size);
  for (const { name, content } of small) yield* whole(name, content);
  yield tarEnd();
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const at = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(at);
    return entry.isFile() ? [at] : [];
  });
}

/** An archive name is one of ours and stays inside the data dir (and fits the archive); throws InvalidArgumentError otherwise. */
export function checkedName(name: string): string {
  const parts = name.replace(/\/$/, '').split('/');
  const safe = (p: string): boolean => p !== '' && p !== '.' && p !== '..' && !/[\\\0]/.test(p) && Buffer.byteLength(p) <= 100;
  const ok = name === MANIFEST || name === 'store/data.mdb' || name === 'store/' || name === 'tls/' ||
    (parts[0] === 'tls' && parts.length >= 2 && parts.length <= 6 && parts.every(safe));
  if (!ok) throw new InvalidArgumentError(`the archive holds ${JSON.stringify(name)}, which is not part of a Strata backup; is it one (made by \`strata backup\`)?`);
  if (!tarNameFits(name)) throw new InvalidArgumentError(`${JSON.stringify(name)} is too long for a backup archive (a path of at most 255 bytes)`);
  return name;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** The archive held the federation's CA: it is a core. */
  core: boolean;
}

/**
 * Unpacks `file` into `dataDir`, which must not hold a node yet. Nothing is
 * left in `dataDir` if the archive is damaged or not a backup.
 */
export async function restoreBackup(file: string, dataDir: string, clock: Clock): Promise<RestoreResult> {
  const target = path.resolve(dataDir);
  for (const held of ['store', 'tls']) {
    if (existsSync(path.join(target, held))) throw new AlreadyExistsError(`${path.join(target, held)} exists: ${target} already holds a node; restore into a new, empty data dir (and point the node's config at it)`);
  }
  if (!existsSync(file)) throw new NotFoundError(`no backup at ${file}; give the file \`strata backup --out\` wrote`);
  mkdirSync(target, { recursive: true, mode: PRIVATE_DIR_MODE });
  const staging = await mkdtemp(path.join(target, '.restore-'));
  try {
    let manifest: BackupManifest | undefined;
    const handles = new Set<FileHandle>();
    const input = createReadStream(file);
    const gunzip = createGunzip();
    // A read error (unreadable file) ends the reading below as an error, never unhandled.
    input.on('error', (err) => gunzip.destroy(err));
    input.pipe(gunzip);
    await readTar(gunzip as AsyncIterable<Buffer>, (entry) => {
      const name = checkedName(entry.name);
      if (name.endsWith('/')) return undefined;
      if (name === MANIFEST) {
        const parts: Buffer[] = [];
        return (piece) => {
          if (piece) parts.push(piece);
          else manifest = parseManifest(Buffer.concat(parts).toString('utf8'));
        };
      }
      const out = path.join(staging, ...name.split('/'));
      mkdirSync(path.dirname(out), { recursive: true, mode: PRIVATE_DIR_MODE });
      let handle: Promise<FileHandle> | undefined;
      return async (piece) => {
        handle ??= open(out, 'w', PRIVATE_FILE_MODE).then((h) => (handles.add(h), h));
        const fh = await handle;
        if (piece) {
          await fh.write(piece);
          return;
        }
        handles.delete(fh);
        await fh.close();
      };
    }).catch(async (err: unknown) => {
      input.destroy();
      await Promise.all([...handles].map((h) => h.close().catch(() => undefined)));
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EACCES' || code === 'EROFS') throw new UnavailableError(`restoring ${file} into ${target} failed: ${err instanceof Error ? err.message : String(err)}`);
      throw new InvalidArgumentError(`${file} is not a complete Strata backup: ${err instanceof Error ? err.message : String(err)}`);
    });
    if (!manifest) throw new InvalidArgumentError(`${file} has no ${MANIFEST}: not a Strata backup`);
    if (!existsSync(path.join(staging, 'store', 'data.mdb'))) throw new InvalidArgumentError(`${file} has no store/data.mdb: not a complete Strata backup`);
    const tls = path.join(staging, 'tls');
    const core = existsSync(path.join(tls, 'ca.key'));
    if (core) {
      // Made again at the first start, naming the addresses of the machine it runs on now.
      for (const f of ['node.crt', 'node.key', 'pending.key', 'renew.key']) rmSync(path.join(tls, f), { force: true });
      writeFileSync(path.join(tls, 'join.secret'), randomBytes(32).toString('hex'), { mode: PRIVATE_FILE_MODE });
    }
    writeFileSync(path.join(staging, 'store', RESTORED_MARK), JSON.stringify({ restoredAt: isoTime(clock.nowMs()), from: manifest.takenAt }), { mode: PRIVATE_FILE_MODE });
    renameSync(path.join(staging, 'store'), path.join(target, 'store'));
    if (existsSync(tls)) renameSync(tls, path.join(target, 'tls'));
    return { manifest, core };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function parseManifest(text: string): BackupManifest {
  let parsed: Partial<BackupManifest>;
  try {
    parsed = JSON.parse(text) as Partial<BackupManifest>;
  } catch {
    throw new InvalidArgumentError(`${MANIFEST} in the archive is not JSON`);
  }
  if (parsed.format !== BACKUP_FORMAT) throw new FailedPreconditionError(`the backup is in format ${String(parsed.format)}; this Strata (${strataVersion()}) restores format ${BACKUP_FORMAT}`);
  if (typeof parsed.node !== 'string' || !Array.isArray(parsed.datasets)) throw new InvalidArgumentError(`${MANIFEST} in the archive lacks the node or its datasets`);
  return parsed as BackupManifest;
}

/**
 * At a node's start, after its store opened: if the store was restored from a
 * backup and not started since, every dataset it owns gets a new epoch (its
 * replicas then take the restored state whole). Returns how many.
 */
export async function finishRestore(storeDir: string, store: Store, logger: Logger): Promise<number> {
  const mark = path.join(storeDir, RESTORED_MARK);
  if (!existsSync(mark)) return 0;
  const restored = JSON.parse(await readFile(mark, 'utf8')) as { restoredAt: string; from: string };
  let renewed = 0;
  for (const dataset of store.datasets()) {
    if (dataset.role !== 'owner' || dataset.shared) continue;
    await store.renewEpoch(dataset.name);
    renewed++;
  }
  rmSync(mark);
  logger.warn({ backupTakenAt: restored.from, restoredAt: restored.restoredAt, datasets: renewed }, 'first start after a restore: the datasets this node owns got new epochs; their replicas take the restored state (changes made after the backup are gone)');
  return renewed;
}
