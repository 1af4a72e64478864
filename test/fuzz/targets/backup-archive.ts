// Backup archives as `strata restore` reads them, after gunzip
// (kernel/tar.ts readTar, every entry's name checked by node/backup.ts
// checkedName): an archive is a file from outside. Typed: InvalidArgumentError
// (damaged header, truncation, a name that is not a backup's).

import { checkedName } from '../../../src/node/backup';
import { readTar, tarEnd, tarHeader, tarPadding } from '../../../src/kernel/tar';
import type { Outcome, Target } from '../target';
import { tokens } from '../mutate';

function entry(name: string, content: Buffer): Buffer[] {
  return [tarHeader({ name, mode: 0o600, mtimeS: 1_700_000_000, size: content.length }), content, tarPadding(content.length)];
}

export function backupArchiveTarget(): Target {
  return {
    name: 'backup-archive',
    entry: 'tar readTar + backup checkedName',
    seeds: () => [
      Buffer.concat([
        ...entry('strata-backup.json', Buffer.from('{"format":1,"node":"core","datasets":[]}')),
        ...entry('store/data.mdb', Buffer.alloc(700, 1)),
        ...entry('tls/ca.crt', Buffer.from('-----BEGIN CERTIFICATE-----\n')),
        ...entry(`tls/issued/operators/${'o'.repeat(80)}/${'a'.repeat(32)}.crt`, Buffer.from('pem')),
        tarEnd(),
      ]),
    ],
    dictionary: tokens('ustar\0', '00', '../', 'tls/', 'store/', '/', '\0', '0000777', '77777777777', '5', '1', '2', 'L'),
    maxBytes: 16 * 1024,
    async run(input: Buffer): Promise<Outcome> {
      async function* pieces(): AsyncGenerator<Buffer> {
        for (let i = 0; i < input.length; i += 300) yield input.subarray(i, i + 300);
      }
      let bytes = 0;
      await readTar(pieces(), (e) => {
        checkedName(e.name);
        return (piece) => {
          if (piece) bytes += piece.length;
        };
      });
      return bytes >= 0 ? 'accepted' : 'rejected';
    },
  };
}
