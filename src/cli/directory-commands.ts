// `strata user` and `strata ldif import|export`: directory data from the
// command line, through the gRPC DirectoryService of the node you name.
// Writes go from there to the owner of each entry's subtree (the core for
// ou=people); listings show that node's view. Cleartext passwords are hashed
// by the node before anything is stored or replicated.

import type { Command } from 'commander';
import { InvalidArgumentError, NotFoundError } from '../kernel/errors';
import { directoryEntryFromWire as fromWire, directoryEntryToWire as toWire, type DirectoryEntry__Output } from '../federation/client';
import { lazyApiClient, lazyNodeStatus } from './lazy-client';
import { formatLdif, parseLdif } from '../directory/data/ldif';
import type { DirEntry } from '../directory/data/entry';
import { readInputFile } from './input-file';
import type { TargetOptions } from './settings-command';

type Out = (line: string) => void;
type AddTarget = (command: Command) => Command;

interface PutResult { added: number; replaced: number; deleted: number }

const IMPORT_BATCH = 500;

function api(options: TargetOptions): ReturnType<typeof lazyApiClient> {
  return lazyApiClient(options, 60_000);
}

async function baseDn(options: TargetOptions): Promise<string> {
  const status = await lazyNodeStatus(options);
  if (!status.baseDn) throw new InvalidArgumentError(`node ${status.name} does not know the directory base DN yet (it has not linked to its parent); try again or ask another node`);
  return status.baseDn;
}

async function listEntries(options: TargetOptions, base: string, secrets: boolean): Promise<DirEntry[]> {
  const reply = await api(options).unary<{ node: string; entries: DirectoryEntry__Output[] }>('DirectoryService', 'ListEntries', { base, includeSecrets: secrets });
  return reply.entries.map(fromWire);
}

function put(options: TargetOptions, entries: DirEntry[], replace: boolean): Promise<PutResult> {
  return api(options).unary<PutResult>('DirectoryService', 'PutEntries', { entries: entries.map(toWire), replace });
}

export function addDirectoryCommands(program: Command, addTarget: AddTarget, out: Out, progress: Out): void {
  const user = program.command('user').description('people in ou=people of the directory (owned by the core; writes are forwarded to it)');
  addTarget(user.command('add').description('add a person: uid=NAME,ou=people,<base>').argument('<name>'))
    .requiredOption('--password <password>', 'initial password (hashed by the node)')
    .option('--cn <name>', 'full name (default: NAME)')
    .option('--sn <surname>', 'surname (default: the last word of the full name)')
    .option('--mail <address>', 'mail address')
    .action(async (name: string, opts: TargetOptions & { password: string; cn?: string; sn?: string; mail?: string }) => {
      const base = await baseDn(opts);
      const cn = opts.cn ?? name;
      const attrs: Record<string, string[]> = { objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'], uid: [name], cn: [cn], sn: [opts.sn ?? cn.split(' ').pop()!], userPassword: [opts.password] };
      if (opts.mail) attrs['mail'] = [opts.mail];
      await put(opts, [{ dn: `uid=${name},ou=people,${base}`, attrs }], false);
      out(`added uid=${name},ou=people,${base}`);
    });
  addTarget(user.command('passwd').description("set a person's password").argument('<name>'))
    .requiredOption('--password <password>', 'new password (hashed by the node)')
    .action(async (name: string, opts: TargetOptions & { password: string }) => {
      const dn = `uid=${name},ou=people,${await baseDn(opts)}`;
      const [entry] = await listEntries(opts, dn, true);
      if (!entry) throw new NotFoundError(`no entry ${dn}`);
      const attrs = Object.fromEntries(Object.entries(entry.attrs).filter(([k]) => k.toLowerCase() !== 'userpassword'));
      await put(opts, [{ dn: entry.dn, attrs: { ...attrs, userPassword: [opts.password] } }], true);
      out(`password of ${dn} changed`);
    });
  addTarget(user.command('rm').description('remove a person').argument('<name>'))
    .action(async (name: string, opts: TargetOptions) => {
      const dn = `uid=${name},ou=people,${await baseDn(opts)}`;
      await api(opts).unary<PutResult>('DirectoryService', 'DeleteEntry', { dn });
      out(`removed ${dn}`);
    });
  addTarget(user.command('ls').description('people as the node holds them'))
    .option('--json', 'machine-readable output')
    .action(async (opts: TargetOptions & { json?: boolean }) => {
      const entries = (await listEntries(opts, `ou=people,${await baseDn(opts)}`, false)).filter((e) => /^uid=/i.test(e.dn));
      if (opts.json) return out(JSON.stringify(entries, null, 2));
      for (const e of entries) out(`${e.dn}\t${(e.attrs['cn'] ?? []).join(', ')}\t${(e.attrs['mail'] ?? []).join(', ')}`);
    });

  const ldif = program.command('ldif').description('LDIF (RFC 2849) import and export of directory entries');
  addTarget(ldif.command('import').description('add every entry of an LDIF file, each at the owner of its subtree').argument('<file>'))
    .option('--replace', 'replace entries that exist (default: refuse them)')
    .action(async (file: string, opts: TargetOptions & { replace?: boolean }) => {
      const text = readInputFile(file, 'LDIF file');
      const entries = parseLdif(text, file);
      const total = { added: 0, replaced: 0 };
      for (let i = 0; i < entries.length; i += IMPORT_BATCH) {
        const result = await put(opts, entries.slice(i, i + IMPORT_BATCH), opts.replace ?? false);
        total.added += result.added;
        total.replaced += result.replaced;
        if (entries.length > IMPORT_BATCH) progress(`imported ${Math.min(i + IMPORT_BATCH, entries.length)}/${entries.length} entries`);
      }
      out(`imported ${entries.length} entries from ${file}: ${total.added} added, ${total.replaced} replaced`);
    });
  addTarget(ldif.command('export').description('print the entries the node holds under a base as LDIF'))
    .option('--base <dn>', 'subtree to export (default: the whole directory)')
    .option('--secrets', 'include userPassword hashes (for a backup or a move)')
    .action(async (opts: TargetOptions & { base?: string; secrets?: boolean }) => {
      const entries = await listEntries(opts, opts.base ?? '', opts.secrets ?? false);
      out(formatLdif(entries).trimEnd());
    });
}
