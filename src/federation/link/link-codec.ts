// Store changes and entries ↔ their Link wire form. Values travel as JSON
// bytes so any dataset's values (strings, records, objects) pass unchanged.

import { InvalidArgumentError } from '../../kernel/errors';
import type { Change, Entry, Expectation, Mutation } from '../../store';
import type { Change as WireChange } from '../grpc/generated/strata/v1/Change';
import type { ChangeBatch__Output } from '../grpc/generated/strata/v1/ChangeBatch';
import type { Entry as WireEntry, Entry__Output } from '../grpc/generated/strata/v1/Entry';
import type { Mutation as WireMutation, Mutation__Output } from '../grpc/generated/strata/v1/Mutation';

const EMPTY = Buffer.alloc(0);

export function encodeValue(value: unknown): Buffer {
  return value === undefined ? EMPTY : Buffer.from(JSON.stringify(value), 'utf8');
}

export function decodeValue(bytes: Uint8Array | undefined): unknown {
  if (!bytes || bytes.length === 0) return undefined;
  try {
    // The wire's bytes fields arrive as Buffers: read in place (Buffer.from(buffer) would copy them first).
    const text = Buffer.isBuffer(bytes) ? bytes.toString('utf8') : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    return JSON.parse(text);
  } catch (err) {
    throw new InvalidArgumentError('a value on the link is not valid JSON', { cause: err });
  }
}

/** Wire forms of frozen changes (the store's since() answers, shared by every link that sends them): encoded once. */
const encodedChanges = new WeakMap<Change, WireChange>();

/**
 * The changes as sent on a link. Kept per change, not per list: a directory's changes reach each
 * child through its credential filter, which makes a new list (a password withheld becomes a delete)
 * of mostly the same changes.
 */
export function toWireChanges(changes: readonly Change[]): WireChange[] {
  return changes.map((c) => {
    const known = encodedChanges.get(c);
    if (known) return known;
    const wire = { seq: c.seq, op: c.op, key: c.key, value: encodeValue(c.value), timeMs: c.timeMs };
    if (Object.isFrozen(c)) encodedChanges.set(c, Object.freeze(wire));
    return wire;
  });
}

export function fromWireBatch(batch: ChangeBatch__Output): Change[] {
  return batch.changes.map((c) => {
    if (c.op !== 'put' && c.op !== 'delete') throw new InvalidArgumentError(`change ${batch.dataset}#${c.seq} has unknown op ${JSON.stringify(c.op)}`);
    const change: Change = { dataset: batch.dataset, epoch: batch.epoch, seq: Number(c.seq), op: c.op, key: c.key, timeMs: Number(c.timeMs) };
    if (c.op === 'put') change.value = decodeValue(c.value);
    return change;
  });
}

export function toWireEntries(entries: readonly Entry[]): WireEntry[] {
  return entries.map((e) => ({ key: e.key, value: encodeValue(e.value) }));
}

export function fromWireEntries(entries: readonly Entry__Output[]): Entry[] {
  return entries.map((e) => ({ key: e.key, value: decodeValue(e.value) }));
}

export function toWireMutations(mutations: readonly Mutation[]): WireMutation[] {
  return mutations.map((m) => ({ op: m.op, key: m.key, value: encodeValue(m.value), expect: m.expect ? JSON.stringify(m.expect) : '' }));
}

export function fromWireMutations(mutations: readonly Mutation__Output[]): Mutation[] {
  return mutations.map((m) => {
    if (m.op !== 'put' && m.op !== 'delete') throw new InvalidArgumentError(`mutation of ${m.key} has unknown op ${JSON.stringify(m.op)}`);
    const mutation: Mutation = m.op === 'put' ? { op: 'put', key: m.key, value: decodeValue(m.value) } : { op: 'delete', key: m.key };
    if (m.expect) mutation.expect = decodeExpectation(m.key, m.expect);
    return mutation;
  });
}

function decodeExpectation(key: string, text: string): Expectation {
  try {
    return JSON.parse(text) as Expectation; // shape checked by the store before it writes
  } catch (err) {
    throw new InvalidArgumentError(`mutation of ${key} has an expect that is not JSON`, { cause: err });
  }
}
