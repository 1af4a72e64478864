// LDIF (RFC 2849) for `strata ldif import|export`: content records (and
// change records with `changetype: add`), folded lines, comments, base64
// values (`::`). Other change types are refused with their line number.
// Pure text ↔ entries; it does not write anything.

import { InvalidArgumentError } from '../../kernel/errors';
import type { DirEntry } from './entry';

export function parseLdif(text: string, source = 'LDIF'): DirEntry[] {
  const entries: DirEntry[] = [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  // Unfold: a line starting with one space continues the previous one.
  const logical: Array<{ line: string; number: number }> = [];
  lines.forEach((line, i) => {
    if (line.startsWith(' ') && logical.length > 0 && logical[logical.length - 1]!.line !== '') logical[logical.length - 1]!.line += line.slice(1);
    else logical.push({ line, number: i + 1 });
  });
  let current: DirEntry | undefined;
  const finish = (): void => {
    if (current) entries.push(current);
    current = undefined;
  };
  for (const { line, number } of logical) {
    if (line.startsWith('#')) continue;
    if (line.trim() === '') {
      finish();
      continue;
    }
    const match = /^([A-Za-z0-9][A-Za-z0-9;.-]*)(::?|:<)\s*(.*)$/.exec(line);
    if (!match) throw new InvalidArgumentError(`${source}:${number}: expected "attribute: value", got ${JSON.stringify(line.slice(0, 60))}`);
    const [, name, sep, raw] = match as unknown as [string, string, string, string];
    if (sep === ':<') throw new InvalidArgumentError(`${source}:${number}: URL values (:<) are not supported; put the value in the file`);
    const value = sep === '::' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    const lower = name.toLowerCase();
    if (!current) {
      if (lower === 'version') continue;
      if (lower !== 'dn') throw new InvalidArgumentError(`${source}:${number}: a record must start with "dn:", got ${name}`);
      current = { dn: value.trim(), attrs: {} };
      continue;
    }
    if (lower === 'changetype') {
      if (value.trim().toLowerCase() !== 'add') throw new InvalidArgumentError(`${source}:${number}: changetype ${value.trim()} is not supported by import; use ldapmodify against a node for changes`);
      continue;
    }
    if (lower === 'control') throw new InvalidArgumentError(`${source}:${number}: controls are not supported by import`);
    current.attrs[name] = [...(current.attrs[name] ?? []), value];
  }
  finish();
  return entries;
}

/** RFC 2849 SAFE-STRING: printable ASCII, not starting with space, ':' or '<', not ending with space. */
function safe(value: string): boolean {
  if (value === '') return true;
  if (value.endsWith(' ') || [' ', ':', '<'].includes(value[0]!)) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0 || code === 10 || code === 13 || code > 127) return false;
  }
  return true;
}

function fold(line: string): string {
  if (line.length <= 76) return line;
  const parts = [line.slice(0, 76)];
  for (let i = 76; i < line.length; i += 75) parts.push(` ${line.slice(i, i + 75)}`);
  return parts.join('\n');
}

function attributeLine(name: string, value: string): string {
  return fold(safe(value) ? `${name}: ${value}` : `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`);
}

export function formatLdif(entries: DirEntry[]): string {
  const records = entries.map((entry) => [attributeLine('dn', entry.dn), ...Object.entries(entry.attrs).flatMap(([name, values]) => values.map((v) => attributeLine(name, v)))].join('\n'));
  return `version: 1\n\n${records.join('\n\n')}\n`;
}
