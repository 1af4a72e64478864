// Who a write is made for, carried along the async path of one call without
// threading it through every service (AsyncLocalStorage): the principal that
// a forwarded write must carry to its owner (trust.proto), and, while an
// owner runs a forwarded call itself, the one dataset it may write for it.
// It holds nothing between calls, so nodes sharing a process do not share it.

import { AsyncLocalStorage } from 'node:async_hooks';
import { PermissionDeniedError } from '../../kernel/errors';
import type { Principal } from './generated/strata/v1/Principal';

export interface OwnerRun {
  /** The only dataset this run may change (the one the forwarded write was for). */
  dataset: string;
  /** What the write to it returned. */
  outcome?: { owner: string; epoch: string; seq: number };
}

export interface WriteContext {
  principal?: Principal;
  ownerRun?: OwnerRun;
}

const storage = new AsyncLocalStorage<WriteContext>();

export function currentWriteContext(): WriteContext | undefined {
  return storage.getStore();
}

/**
 * Refuses a node-relative default (the called node's own zone or registry)
 * while an owner runs a forwarded call: the default meant the node the
 * operator called, not this one, and a replayed proof must not land on it.
 */
export function refuseDefaultInOwnerRun(what: string): void {
  if (storage.getStore()?.ownerRun) throw new PermissionDeniedError(`a forwarded call must name its ${what}: its default is the node the operator called, not its owner`);
}

export function runWithWriteContext<T>(context: WriteContext, fn: () => T): T {
  return storage.run(context, fn);
}
