// What a fuzz target is: valid seed inputs, hints for the mutator, and one
// call into the real parser entry point the node uses on untrusted bytes.
// A target returns 'accepted' (parsed) or 'rejected' (a documented result
// value: FORMERR, "malformed", an 'error' event the caller handles); it
// throws only the project's typed errors (src/kernel/errors.ts). Anything
// else thrown, a slow iteration, a hang, a crash or an unbounded heap is a
// finding.

import { StrataError } from '../../src/kernel/errors';

export type Outcome = 'accepted' | 'rejected';

export interface Target {
  readonly name: string;
  /** The entry point exercised, for the report. */
  readonly entry: string;
  seeds(): Buffer[] | Promise<Buffer[]>;
  dictionary?: readonly Buffer[];
  lengthFields?: (input: Buffer) => number[];
  /** Largest mutant fed to the target (default 16 KiB). */
  maxBytes?: number;
  run(input: Buffer): Outcome | Promise<Outcome>;
}

export function isTypedError(err: unknown): err is StrataError {
  return err instanceof StrataError;
}

/** The innermost stack frame, shortened ("Alias.toJSON (node_modules/yaml/dist/nodes/Alias.js:79:19)"). */
function topFrame(err: Error): string {
  const frame = (err.stack ?? '').split('\n').find((line) => /^\s+at /.test(line))?.trim() ?? '';
  return frame.replace(/^at /, '').replace(/\/\S*?\/(node_modules|dist)\//, '$1/');
}

/** Findings with the same key are one finding: the error's class and where it was thrown (messages often quote the input). */
export function errorKey(err: unknown): string {
  return err instanceof Error ? `${err.name} at ${topFrame(err)}` : `non-Error thrown: ${typeof err}`;
}

/** "ReferenceError: Unresolved alias …" plus where it was thrown, for the report. */
export function errorSignature(err: unknown): string {
  if (!(err instanceof Error)) return `non-Error thrown: ${String(err).slice(0, 120)}`;
  return `${err.name}: ${err.message.slice(0, 160)} (at ${topFrame(err)})`;
}
