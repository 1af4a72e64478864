// The backup archive's tar format: what we write, GNU tar reads; what GNU tar
// writes, we read; a damaged or truncated archive is refused, never half-read.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTar, tarEnd, tarHeader, tarPadding, type TarEntry } from '../../../src/kernel/tar';

function archive(files: Array<{ name: string; content: Buffer }>): Buffer {
  return Buffer.concat([
    ...files.flatMap(({ name, content }) => [tarHeader({ name, mode: 0o600, mtimeS: 1_700_000_000, size: content.length }), content, tarPadding(content.length)]),
    tarEnd(),
  ]);
}

async function read(bytes: Buffer, pieceSize: number): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  async function* pieces(): AsyncGenerator<Buffer> {
    for (let i = 0; i < bytes.length; i += pieceSize) yield bytes.subarray(i, i + pieceSize);
  }
  await readTar(pieces(), (entry: TarEntry) => {
    const parts: Buffer[] = [];
    return (piece) => {
      if (piece) parts.push(Buffer.from(piece));
      else files.set(entry.name, Buffer.concat(parts));
    };
  });
  return files;
}

describe('tar (backup archives)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'strata-tar-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const files = [
    { name: 'strata-backup.json', content: Buffer.from('{"format":1}') },
    { name: 'store/data.mdb', content: Buffer.alloc(5000, 7) },
    { name: 'tls/empty', content: Buffer.alloc(0) },
    { name: 'tls/issued/berlin.crt', content: Buffer.alloc(512, 1) },
  ];

  it('writes archives GNU tar extracts byte for byte', () => {
    writeFileSync(path.join(dir, 'a.tar'), archive(files));
    mkdirSync(path.join(dir, 'out'));
    execFileSync('tar', ['xf', path.join(dir, 'a.tar'), '-C', path.join(dir, 'out')]);
    for (const { name, content } of files) assert.deepEqual(readFileSync(path.join(dir, 'out', name)), content, name);
  });

  it('reads archives GNU tar writes, in any chunking', async () => {
    mkdirSync(path.join(dir, 'in', 'tls', 'issued'), { recursive: true });
    for (const { name, content } of files) {
      mkdirSync(path.dirname(path.join(dir, 'in', name)), { recursive: true });
      writeFileSync(path.join(dir, 'in', name), content);
    }
    execFileSync('tar', ['cf', path.join(dir, 'g.tar'), '--format=ustar', '-C', path.join(dir, 'in'), ...files.map((f) => f.name)]);
    for (const pieceSize of [1, 100, 512, 100_000]) {
      const read_ = await read(readFileSync(path.join(dir, 'g.tar')), pieceSize);
      for (const { name, content } of files) assert.deepEqual(read_.get(name), content, `${name} in pieces of ${pieceSize}`);
    }
  });

  it('refuses a truncated archive and a damaged header', async () => {
    const bytes = archive(files);
    await assert.rejects(read(bytes.subarray(0, 3000), 700), /truncated/);
    await assert.rejects(read(bytes.subarray(0, 512 * 3), 512), /ends in the middle/);
    const damaged = Buffer.from(bytes);
    damaged[5] = damaged[5]! ^ 0xff;
    await assert.rejects(read(damaged, 4096), /checksum does not match/);
  });

  it('stores long paths in ustar\'s prefix field (GNU tar reads them), and refuses names that cannot fit', async () => {
    const long = `tls/issued/operators/${'o'.repeat(80)}/${'a'.repeat(32)}.crt`;
    writeFileSync(path.join(dir, 'l.tar'), archive([{ name: long, content: Buffer.from('pem') }]));
    assert.equal(execFileSync('tar', ['tf', path.join(dir, 'l.tar')], { encoding: 'utf8' }).trim(), long);
    assert.deepEqual((await read(readFileSync(path.join(dir, 'l.tar')), 512)).get(long), Buffer.from('pem'));
    assert.throws(() => tarHeader({ name: 'x'.repeat(101), mode: 0o600, mtimeS: 0, size: 0 }), /does not fit/);
  });
});
