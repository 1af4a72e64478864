// Mutation strategies for the fuzz harness: bit flips, random and
// "interesting" bytes, byte runs inserted and deleted, length fields nudged
// (at offsets a target points out, else anywhere), truncation, splicing two
// inputs, a chunk repeated, dictionary tokens. Each mutant stacks one to
// eight of them. Pure: all randomness comes from the Prng passed in.

import type { Prng } from './prng';

const INTERESTING_8 = [0x00, 0x01, 0x02, 0x0c, 0x1f, 0x20, 0x3f, 0x40, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0xc0, 0xfe, 0xff];
const INTERESTING_16 = [0x0000, 0x0001, 0x0002, 0x00ff, 0x0100, 0x3fff, 0x7fff, 0x8000, 0xc00c, 0xfffe, 0xffff];

export interface MutatorOptions {
  /** Tokens worth inserting (keywords, delimiters of the format). */
  dictionary?: readonly Buffer[];
  /** Offsets of length or count fields in an input (the byte to nudge; 16-bit fields give their first byte). */
  lengthFields?: (input: Buffer) => number[];
  /** Mutants are cut to this size. */
  maxBytes: number;
}

type Strategy = (rng: Prng, input: Buffer, other: Buffer) => Buffer;

export class Mutator {
  private readonly strategies: Strategy[];

  constructor(private readonly options: MutatorOptions) {
    this.strategies = [flipBits, setByte, setByte, insertBytes, deleteBytes, this.lengthTweak, this.lengthTweak, truncate, splice, repeatChunk];
    if (options.dictionary?.length) this.strategies.push(this.dictionaryToken, this.dictionaryToken, this.dictionaryToken);
  }

  /** A mutant of `input`; `other` is another input to splice with. */
  mutate(rng: Prng, input: Buffer, other: Buffer): Buffer {
    let out = input;
    const rounds = rng.chance(0.6) ? rng.between(1, 2) : rng.between(3, 8);
    for (let i = 0; i < rounds; i++) out = rng.pick(this.strategies)(rng, out, other);
    return out.length > this.options.maxBytes ? out.subarray(0, this.options.maxBytes) : out;
  }

  private readonly lengthTweak: Strategy = (rng, input) => {
    if (input.length === 0) return input;
    const hinted = this.options.lengthFields?.(input) ?? [];
    const at = hinted.length > 0 && rng.chance(0.85) ? rng.pick(hinted) : rng.below(input.length);
    const out = Buffer.from(input);
    const remaining = input.length - at;
    if (rng.chance(0.5) || at + 1 >= out.length) {
      const choices = [out[at]! + 1, out[at]! - 1, out[at]! + rng.between(2, 16), out[at]! - rng.between(2, 16), remaining, remaining + 1, remaining - 2, rng.pick(INTERESTING_8)];
      out[at] = rng.pick(choices) & 0xff;
    } else {
      const current = out.readUInt16BE(at);
      const choices = [current + 1, current - 1, current * 2, remaining, remaining + 1, rng.pick(INTERESTING_16), rng.pick(INTERESTING_16)];
      out.writeUInt16BE(rng.pick(choices) & 0xffff, at);
    }
    return out;
  };

  private readonly dictionaryToken: Strategy = (rng, input) => {
    const token = rng.pick(this.options.dictionary!);
    const at = rng.below(input.length + 1);
    if (rng.chance(0.3) && input.length > 0) {
      const end = Math.min(input.length, at + token.length);
      return Buffer.concat([input.subarray(0, at), token, input.subarray(end)]);
    }
    return Buffer.concat([input.subarray(0, at), token, input.subarray(at)]);
  };
}

const flipBits: Strategy = (rng, input) => {
  if (input.length === 0) return input;
  const out = Buffer.from(input);
  const flips = rng.between(1, 8);
  for (let i = 0; i < flips; i++) {
    const at = rng.below(out.length);
    out[at] = out[at]! ^ (1 << rng.below(8));
  }
  return out;
};

const setByte: Strategy = (rng, input) => {
  if (input.length === 0) return input;
  const out = Buffer.from(input);
  const count = rng.between(1, 4);
  for (let i = 0; i < count; i++) out[rng.below(out.length)] = rng.chance(0.5) ? rng.pick(INTERESTING_8) : rng.below(256);
  return out;
};

const insertBytes: Strategy = (rng, input) => {
  const at = rng.below(input.length + 1);
  let insert: Buffer;
  if (rng.chance(0.1)) insert = Buffer.alloc(rng.between(64, 4096), rng.pick(INTERESTING_8));
  else if (rng.chance(0.5)) insert = Buffer.alloc(rng.between(1, 32), rng.below(256));
  else insert = rng.bytes(rng.between(1, 32));
  return Buffer.concat([input.subarray(0, at), insert, input.subarray(at)]);
};

const deleteBytes: Strategy = (rng, input) => {
  if (input.length === 0) return input;
  const at = rng.below(input.length);
  const count = rng.between(1, Math.min(32, input.length - at));
  return Buffer.concat([input.subarray(0, at), input.subarray(at + count)]);
};

const truncate: Strategy = (rng, input) => input.subarray(0, rng.below(input.length + 1));

const splice: Strategy = (rng, input, other) => {
  const head = input.subarray(0, rng.below(input.length + 1));
  const tail = other.subarray(rng.below(other.length + 1));
  return Buffer.concat([head, tail]);
};

const repeatChunk: Strategy = (rng, input) => {
  if (input.length === 0) return input;
  const start = rng.below(input.length);
  const chunk = input.subarray(start, start + rng.between(1, Math.min(64, input.length - start)));
  const times = rng.chance(0.2) ? rng.between(16, 256) : rng.between(1, 4);
  const at = rng.below(input.length + 1);
  return Buffer.concat([input.subarray(0, at), ...Array.from({ length: times }, () => chunk), input.subarray(at)]);
};

/** Tokens from strings, for dictionaries. */
export function tokens(...words: string[]): Buffer[] {
  return words.map((w) => Buffer.from(w, 'utf8'));
}
