// Where the HA core keeps its datasets in etcd (DESIGN "The core, highly
// available"), and how each value is written. Keys only; no I/O.
//
//   <prefix>meta/<dataset>        {owner, epoch, seq, firstSeq}: one write = one
//                                 transaction guarded by this key's mod revision
//   <prefix>log/<dataset>/<seq>   {epoch, op, key, value?, timeMs}: the change log
//   <prefix>rec/<dataset>/<key>   the record's value: what a member rebuilds from
//   <prefix>authority             the CA key and certificate and the join secret
//   <prefix>leader                the election of the member doing leader-only duties
//   <prefix>tokens/<claim>        join tokens used (first claim at any member wins)
//
// Dataset names are URI-encoded (so a '/' in a name cannot split a key);
// seqs are zero-padded so key order is seq order.

import type { Change, ChangeOp } from '../store';
import { InvalidArgumentError } from '../kernel/errors';

export interface SharedMeta {
  owner: string;
  epoch: string;
  seq: number;
  firstSeq: number;
}

interface LogValue {
  epoch: string;
  op: ChangeOp;
  key: string;
  value?: unknown;
  timeMs: number;
}

const SEQ_DIGITS = 16;

export class SharedLayout {
  constructor(readonly prefix: string) {}

  meta(dataset: string): string {
    return `${this.prefix}meta/${encodeURIComponent(dataset)}`;
  }

  get metas(): string {
    return `${this.prefix}meta/`;
  }

  logOf(dataset: string): string {
    return `${this.prefix}log/${encodeURIComponent(dataset)}/`;
  }

  log(dataset: string, seq: number): string {
    return `${this.logOf(dataset)}${String(seq).padStart(SEQ_DIGITS, '0')}`;
  }

  recordsOf(dataset: string): string {
    return `${this.prefix}rec/${encodeURIComponent(dataset)}/`;
  }

  record(dataset: string, key: string): string {
    return `${this.recordsOf(dataset)}${key}`;
  }

  get authority(): string {
    return `${this.prefix}authority`;
  }

  get election(): string {
    return `${this.prefix}leader`;
  }

  /** The watched range: every log and meta key (log/ < meta/ < rec/ in key order, nothing else between them). */
  get watched(): { start: string; end: string } {
    return { start: `${this.prefix}log/`, end: `${this.prefix}meta0` };
  }

  /** What a watched key is: a dataset's meta, or one change of its log. */
  parse(key: string): { kind: 'meta'; dataset: string } | { kind: 'log'; dataset: string; seq: number } | undefined {
    if (key.startsWith(this.metas)) return { kind: 'meta', dataset: decodeURIComponent(key.slice(this.metas.length)) };
    const logs = `${this.prefix}log/`;
    if (!key.startsWith(logs)) return undefined;
    const rest = key.slice(logs.length);
    const slash = rest.lastIndexOf('/');
    const seq = Number(rest.slice(slash + 1));
    if (slash < 0 || !Number.isSafeInteger(seq)) return undefined;
    return { kind: 'log', dataset: decodeURIComponent(rest.slice(0, slash)), seq };
  }
}

export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

function decodeJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new InvalidArgumentError(`${what} in etcd is not valid JSON; was it written by another program?`, { cause: err });
  }
}

export function decodeMeta(bytes: Buffer, dataset: string): SharedMeta {
  const m = decodeJson(bytes, `the meta of ${dataset}`) as Partial<SharedMeta>;
  if (typeof m.owner !== 'string' || typeof m.epoch !== 'string' || !Number.isSafeInteger(m.seq) || !Number.isSafeInteger(m.firstSeq)) {
    throw new InvalidArgumentError(`the meta of ${dataset} in etcd has the wrong shape`);
  }
  return m as SharedMeta;
}

export function encodeChange(change: Change): Buffer {
  const value: LogValue = { epoch: change.epoch, op: change.op, key: change.key, timeMs: change.timeMs };
  if (change.op === 'put') value.value = change.value;
  return encodeJson(value);
}

export function decodeChange(dataset: string, seq: number, bytes: Buffer): Change {
  const v = decodeJson(bytes, `change ${seq} of ${dataset}`) as Partial<LogValue>;
  if (typeof v.epoch !== 'string' || (v.op !== 'put' && v.op !== 'delete') || typeof v.key !== 'string' || typeof v.timeMs !== 'number') {
    throw new InvalidArgumentError(`change ${seq} of ${dataset} in etcd has the wrong shape`);
  }
  const change: Change = { dataset, epoch: v.epoch, seq, op: v.op, key: v.key, timeMs: v.timeMs };
  if (v.op === 'put') change.value = v.value;
  return change;
}

export function decodeRecord(dataset: string, key: string, bytes: Buffer): unknown {
  return decodeJson(bytes, `record ${key} of ${dataset}`);
}
