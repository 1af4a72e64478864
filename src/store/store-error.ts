// Turns an unexpected LMDB failure into a StoreError that says what failed,
// where (store dir, dataset) and what to do. Typed Strata errors (not found,
// precondition, …) pass through untouched: they are answers, not failures.

import { StoreError, StrataError, errorMessage } from '../kernel/errors';

export function storeFailure(action: string, dir: string, cause: unknown, dataset?: string): StoreError {
  const where = dataset === undefined ? `store ${dir}` : `dataset ${dataset} in store ${dir}`;
  return new StoreError(
    `${action} failed for ${where}: ${errorMessage(cause)}; ` +
      `check that ${dir} is writable, the disk is not full, and no other program damaged the files`,
    { cause },
  );
}

/** Rethrows StrataErrors as they are and wraps anything else. */
export function asStoreError(action: string, dir: string, cause: unknown, dataset?: string): Error {
  return cause instanceof StrataError ? cause : storeFailure(action, dir, cause, dataset);
}
