// Reads an RFC 1035 master file: $ORIGIN, $TTL, @, relative names, blank
// owner (same as previous), optional TTL and class, ( ) continuation and ;
// comments. Every bad line is reported with its number and the reason; the
// caller imports nothing unless the whole file is good.

import { InvalidArgumentError } from '../../kernel/errors';
import { canonical } from './names';
import { toRecord, type RecordSpec } from './zone-admin';

export interface ParsedZoneFile {
  records: Array<ReturnType<typeof toRecord>>;
}

export function parseZoneFile(text: string, zone: string, source = 'zone file'): ParsedZoneFile {
  let origin = zone;
  let defaultTtl: number | undefined;
  let previousOwner: string | undefined;
  const records: ParsedZoneFile['records'] = [];
  const errors: string[] = [];
  for (const { line, number } of logicalLines(text)) {
    try {
      if (/^\$ORIGIN\s/i.test(line)) {
        origin = canonical(line.split(/\s+/)[1]!);
        continue;
      }
      if (/^\$TTL\s/i.test(line)) {
        defaultTtl = parseTtl(line.split(/\s+/)[1]!);
        continue;
      }
      if (/^\$/.test(line)) throw new Error(`directive ${line.split(/\s+/)[0]} is not supported`);
      const startsBlank = /^\s/.test(line);
      const fields = tokenizeKeepQuotes(line.trim());
      const owner = startsBlank ? previousOwner : fields.shift();
      if (owner === undefined) throw new Error('no owner name (and no previous line to take it from)');
      let ttl = defaultTtl;
      if (fields[0] && /^\d+[smhdw]?$/i.test(fields[0])) ttl = parseTtl(fields.shift()!);
      if (fields[0]?.toUpperCase() === 'IN') fields.shift();
      if (fields[0] && /^\d+[smhdw]?$/i.test(fields[0])) ttl = parseTtl(fields.shift()!);
      const type = fields.shift();
      if (!type) throw new Error('no record type');
      previousOwner = owner;
      if (type.toUpperCase() === 'SOA') continue; // the SOA is made by the node that owns the zone
      const absoluteName = owner === '@' ? origin : owner.endsWith('.') ? canonical(owner) : canonical(`${owner}.${origin}`);
      const spec: RecordSpec = { name: `${absoluteName}.`, type, data: fields.join(' '), ttl };
      records.push(toRecord(zone, spec, origin));
    } catch (err) {
      errors.push(`${source} line ${number}: ${(err as Error).message}`);
    }
  }
  if (errors.length > 0) throw new InvalidArgumentError(`${errors.length} bad line(s), nothing imported:\n${errors.slice(0, 20).join('\n')}`);
  return { records };
}

function parseTtl(text: string): number {
  const m = /^(\d+)([smhdw]?)$/i.exec(text);
  if (!m) throw new Error(`bad TTL ${text}`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2]!.toLowerCase()]!;
  return Number(m[1]) * unit;
}

/** Joins ( ) continuations, strips ; comments outside quotes, keeps line numbers. */
function logicalLines(text: string): Array<{ line: string; number: number }> {
  const out: Array<{ line: string; number: number }> = [];
  let pending: { line: string; number: number } | undefined;
  let depth = 0;
  text.split(/\r?\n/).forEach((raw, index) => {
    const stripped = stripComment(raw);
    if (!pending) pending = { line: '', number: index + 1 };
    pending.line += (pending.line ? ' ' : '') + stripped.replace(/[()]/g, (p) => {
      depth += p === '(' ? 1 : -1;
      return ' ';
    });
    if (depth <= 0) {
      if (pending.line.trim() !== '') out.push({ line: pending.line.replace(/\s+$/, ''), number: pending.number });
      pending = undefined;
      depth = 0;
    }
  });
  return out;
}

function stripComment(line: string): string {
  let inQuote = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"' && line[i - 1] !== '\\') inQuote = !inQuote;
    if (line[i] === ';' && !inQuote) return line.slice(0, i);
  }
  return line;
}

/** Like tokenize, but quoted strings keep their quotes (TXT data is re-tokenized later). */
function tokenizeKeepQuotes(text: string): string[] {
  const re = /"(?:[^"\\]|\\.)*"|\S+/g;
  return text.match(re) ?? [];
}

