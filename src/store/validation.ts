// Argument checks for the store's public API, so bad input fails with an
// InvalidArgumentError naming the field instead of an LMDB encoding error
// deep in a transaction. It does not check state (existence, role, seqs).

import { InvalidArgumentError } from '../kernel/errors';
import type { Change, CompactionPolicy, Entry, Mutation } from './types';

/** LMDB's default key limit is 1978 bytes; leave room for the [gen, …] prefix. */
export const MAX_KEY_BYTES = 1900;

export function checkName(what: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidArgumentError(`${what} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  // Control characters: NUL ends strings in places, and 0x01–0x03 are ordered-binary's own markers (a long key holding one
  // was stored raw and poisoned every later read of its dataset); no name or key needs any of them.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new InvalidArgumentError(`${what} must not contain control characters`);
  if (Buffer.byteLength(value) > MAX_KEY_BYTES) {
    throw new InvalidArgumentError(`${what} is longer than ${MAX_KEY_BYTES} bytes`);
  }
}

export function checkMutations(dataset: string, mutations: readonly Mutation[]): void {
  if (!Array.isArray(mutations)) throw new InvalidArgumentError(`write to ${dataset}: mutations must be an array`);
  mutations.forEach((m, i) => checkOp(`write to ${dataset}: mutations[${i}]`, m));
}

export function checkChanges(changes: readonly Change[]): void {
  if (!Array.isArray(changes)) throw new InvalidArgumentError('apply: changes must be an array');
  changes.forEach((c, i) => {
    const where = `apply: changes[${i}]`;
    checkName(`${where}.dataset`, c?.dataset);
    checkName(`${where}.epoch`, c.epoch);
    checkSeq(`${where}.seq`, c.seq, 1);
    checkOp(where, c);
    if (typeof c.timeMs !== 'number' || !Number.isFinite(c.timeMs)) {
      throw new InvalidArgumentError(`${where}.timeMs must be a finite number`);
    }
  });
}

export function checkEntries(dataset: string, entries: readonly Entry[]): void {
  if (!Array.isArray(entries)) throw new InvalidArgumentError(`snapshot of ${dataset}: entries must be an array`);
  entries.forEach((e, i) => {
    checkName(`snapshot of ${dataset}: entries[${i}].key`, e?.key);
    if (e.value === undefined) throw new InvalidArgumentError(`snapshot of ${dataset}: entries[${i}] has no value`);
  });
}

export function checkSeq(what: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidArgumentError(`${what} must be an integer >= ${min}, got ${String(value)}`);
  }
}

export function checkPolicy(policy: CompactionPolicy): void {
  checkSeq('compaction.keepChanges', policy.keepChanges, 0);
  if (typeof policy.keepMs !== 'number' || !(policy.keepMs >= 0)) {
    throw new InvalidArgumentError(`compaction.keepMs must be a number >= 0, got ${String(policy.keepMs)}`);
  }
}

function checkOp(where: string, m: Mutation | undefined): void {
  if (m?.op !== 'put' && m?.op !== 'delete') {
    throw new InvalidArgumentError(`${where}.op must be 'put' or 'delete', got ${JSON.stringify(m?.op)}`);
  }
  checkName(`${where}.key`, m.key);
  if (m.op === 'put' && m.value === undefined) throw new InvalidArgumentError(`${where} is a put without a value`);
  if (m.expect !== undefined && (typeof m.expect !== 'object' || m.expect === null || typeof m.expect.exists !== 'boolean')) {
    throw new InvalidArgumentError(`${where}.expect must be {exists: boolean[, value]}, got ${JSON.stringify(m.expect)}`);
  }
}
