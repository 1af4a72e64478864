// A small ustar (POSIX tar) writer and reader, for backup archives that
// `tar tzf` lists and `tar xzf` extracts. Regular files and directories only,
// names up to 100 bytes. The reader treats its input as untrusted: every
// header's checksum, size and name is checked before anything is written.

import { InvalidArgumentError } from './errors';

const BLOCK = 512;

export interface TarEntry {
  /** Relative, '/'-separated. Directories end with '/'. */
  name: string;
  mode: number;
  mtimeS: number;
  size: number;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** The 512-byte header of one entry. */
/** How a name fits ustar's fields: up to 100 bytes, or a directory prefix of up to 155 and the rest (split at a '/'). */
function splitName(full: string): { name: Buffer; prefix: Buffer } | undefined {
  const bytes = Buffer.from(full, 'utf8');
  if (bytes.length === 0) return undefined;
  if (bytes.length <= 100) return { name: bytes, prefix: Buffer.alloc(0) };
  for (let i = bytes.length - 1; i > 0; i--) {
    if (bytes[i] !== 0x2f) continue;
    const prefix = bytes.subarray(0, i);
    const name = bytes.subarray(i + 1);
    if (prefix.length <= 155 && name.length > 0 && name.length <= 100) return { name, prefix };
  }
  return undefined;
}

/** Can `name` be stored (1–100 bytes, or split at a '/' into ≤ 155 + ≤ 100)? */
export function tarNameFits(name: string): boolean {
  return splitName(name) !== undefined;
}

export function tarHeader(entry: TarEntry): Buffer {
  const split = splitName(entry.name);
  if (!split) throw new InvalidArgumentError(`tar: entry name ${JSON.stringify(entry.name)} does not fit (at most 100 bytes, or a 155-byte directory and a 100-byte name)`);
  const header = Buffer.alloc(BLOCK);
  split.name.copy(header, 0);
  split.prefix.copy(header, 345);
  header.write(octal(entry.mode & 0o7777, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii');
  header.write(octal(0, 8), 116, 'ascii');
  header.write(octal(entry.size, 12), 124, 'ascii');
  header.write(octal(Math.max(0, Math.floor(entry.mtimeS)), 12), 136, 'ascii');
  header.write('        ', 148, 'ascii');
  header.write(entry.name.endsWith('/') ? '5' : '0', 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(octal(sum, 7) + ' ', 148, 'ascii');
  return header;
}

/** Zero bytes that pad an entry of `size` bytes to a whole block. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** Two zero blocks end an archive. */
export function tarEnd(): Buffer {
  return Buffer.alloc(2 * BLOCK);
}

function readOctal(header: Buffer, offset: number, width: number, what: string): number {
  const text = header.subarray(offset, offset + width).toString('ascii').replace(/[\0 ]+$/g, '').replace(/^ +/, '');
  if (!/^[0-7]*$/.test(text)) throw new InvalidArgumentError(`tar: the ${what} field of a header is not octal`);
  return text === '' ? 0 : parseInt(text, 8);
}

function parseHeader(header: Buffer): TarEntry | undefined {
  if (header.every((b) => b === 0)) return undefined;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  if (readOctal(header, 148, 8, 'checksum') !== sum) throw new InvalidArgumentError('tar: a header checksum does not match (the archive is damaged)');
  const type = String.fromCharCode(header[156]!);
  const end = header.indexOf(0, 0);
  const name = header.subarray(0, end < 0 || end > 100 ? 100 : end).toString('utf8');
  const prefixEnd = header.indexOf(0, 345);
  const prefix = header.subarray(345, prefixEnd < 0 || prefixEnd > 500 ? 500 : prefixEnd).toString('utf8');
  if (type !== '0' && type !== '\0' && type !== '5') throw new InvalidArgumentError(`tar: entry ${JSON.stringify(name)} has type ${JSON.stringify(type)}; only files and directories are expected`);
  const size = readOctal(header, 124, 12, 'size');
  const full = prefix ? `${prefix}/${name}` : name;
  return { name: type === '5' && !full.endsWith('/') ? `${full}/` : full, mode: readOctal(header, 100, 8, 'mode'), mtimeS: readOctal(header, 136, 12, 'mtime'), size: type === '5' ? 0 : size };
}

/**
 * Reads an archive from `chunks` (any chunking). For each entry `onEntry` is
 * called with its header and returns a sink for its content (called with
 * each piece in order, then with `undefined` at its end), or nothing to skip it.
 * Throws on a damaged or truncated archive.
 */
export async function readTar(chunks: AsyncIterable<Buffer>, onEntry: (entry: TarEntry) => ((piece: Buffer | undefined) => void | Promise<void>) | undefined): Promise<number> {
  let pending: Buffer = Buffer.alloc(0);
  let entry: TarEntry | undefined;
  let sink: ((piece: Buffer | undefined) => void | Promise<void>) | undefined;
  let left = 0;
  let pad = 0;
  let count = 0;
  let ended = false;
  for await (const chunk of chunks) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (ended) break;
      if (entry) {
        if (left > 0) {
          if (pending.length === 0) break;
          const piece = pending.subarray(0, Math.min(left, pending.length));
          pending = pending.subarray(piece.length);
          left -= piece.length;
          if (sink) await sink(piece);
          continue;
        }
        if (pending.length < pad) break;
        pending = pending.subarray(pad);
        if (sink) await sink(undefined);
        entry = undefined;
        sink = undefined;
        continue;
      }
      if (pending.length < BLOCK) break;
      const header = pending.subarray(0, BLOCK);
      pending = pending.subarray(BLOCK);
      const parsed = parseHeader(header);
      if (!parsed) {
        ended = true;
        break;
      }
      entry = parsed;
      count++;
      left = parsed.size;
      pad = (BLOCK - (parsed.size % BLOCK)) % BLOCK;
      sink = onEntry(parsed);
    }
  }
  if (!ended) throw new InvalidArgumentError(`tar: the archive ends in the middle${entry ? ` of ${entry.name}` : ''} (truncated)`);
  return count;
}
