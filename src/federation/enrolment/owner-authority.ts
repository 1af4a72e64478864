// The owner's decision on a write forwarded to it over a link (DESIGN §7):
// applied under the identity of whoever asked for it, never because a node
// asked. An operator's call comes with the operator's signature and is run
// here, by this node's own code, as the operator sent it (only its part for
// this dataset: other owners run theirs); a directory write comes with the
// bound principal, which the forwarding node must be trusted with or prove
// with a ticket (directory-principal.ts). In plaintext mode (trusted
// networks only) there is no identity to check and writes apply as sent.

import type { Clock } from '../../kernel/clock';
import { FailedPreconditionError, PermissionDeniedError } from '../../kernel/errors';
import type { Mutation, Store } from '../../store';
import type { DirectoryPrincipal__Output } from '../grpc/generated/strata/v1/DirectoryPrincipal';
import type { WriteRequest__Output } from '../grpc/generated/strata/v1/WriteRequest';
import { OPERATOR_METHODS } from './caller-identity';
import { DIR_DATASET_PREFIX } from '../../directory';
import { fromWireMutations } from '../link/link-codec';
import type { LinkSession } from '../link/link-session';
import type { ProofChecker } from './operator-proof';
import { runWithWriteContext, type OwnerRun } from '../grpc/write-context';
import type { ForwardedWriteAuthority, WriteOutcome } from '../writes/write-router';

export interface OwnerAuthorityDeps {
  self: string;
  store(): Store;
  /** Is identity checked at all (mutual TLS)? */
  secure(): boolean;
  proofs: ProofChecker;
  /** Runs a unary method here (grpc-adapter's GrpcServer.invoke). */
  invoke(methodPath: string, request: Buffer): Promise<unknown>;
  /** A directory write made as an LDAP principal: undefined if allowed, else why not. */
  directory(principal: DirectoryPrincipal__Output, request: WriteRequest__Output, mutations: Mutation[], from: LinkSession): string | undefined;
  clock: Clock;
  /** A refused write, for the log (who forwarded it, and why it was refused). */
  refused(dataset: string, sender: string, why: string): void;
}

export function ownerAuthority(deps: OwnerAuthorityDeps): ForwardedWriteAuthority {
  const apply = async (dataset: string, mutations: Mutation[]): Promise<WriteOutcome> => {
    const info = deps.store().dataset(dataset)!;
    const changes = await deps.store().write(dataset, mutations);
    return { owner: deps.self, epoch: info.epoch, seq: changes.length > 0 ? changes[changes.length - 1]!.seq : info.seq };
  };
  return async (request, from) => {
    try {
      return await decide(request, from);
    } catch (err) {
      if (err instanceof PermissionDeniedError) deps.refused(request.dataset, from.peer?.name ?? from.peerLabel, err.message);
      throw err;
    }
  };
  async function decide(request: WriteRequest__Output, from: LinkSession): Promise<WriteOutcome> {
    const mutations = fromWireMutations(request.mutations);
    if (!deps.secure()) return apply(request.dataset, mutations);
    const principal = request.principal;
    const sender = from.peer?.name ?? from.peerLabel;
    if (principal?.operator) {
      const proof = principal.operator;
      const method = proof.method.slice(proof.method.lastIndexOf('/') + 1);
      if (!(OPERATOR_METHODS as readonly string[]).includes(method)) throw new PermissionDeniedError(`${proof.method} is not an operator's change; a forwarded write cannot carry it`);
      const operator = deps.proofs.check({ ...proof, timeMs: Number(proof.timeMs) }, request.dataset, deps.clock.nowMs());
      const run: OwnerRun = { dataset: request.dataset };
      await runWithWriteContext({ ownerRun: run }, () => deps.invoke(proof.method, proof.request));
      if (!run.outcome) throw new FailedPreconditionError(`${proof.method} from ${operator}, forwarded by ${sender}, changes nothing in ${request.dataset} at its owner ${deps.self}`);
      return run.outcome;
    }
    if (principal?.directory) {
      // An LDAP identity writes directory entries, nothing else (not the registry, settings or zones).
      if (!request.dataset.startsWith(DIR_DATASET_PREFIX)) throw new PermissionDeniedError(`write to ${request.dataset} as LDAP identity ${principal.directory.dn}, forwarded by ${sender}, refused at the owner ${deps.self}: LDAP identities write only directory entries`);
      const refusal = deps.directory(principal.directory, request, mutations, from);
      if (refusal) throw new PermissionDeniedError(`write to ${request.dataset} as ${principal.directory.dn}, forwarded by ${sender}, refused at the owner ${deps.self}: ${refusal}`);
      return apply(request.dataset, mutations);
    }
    throw new PermissionDeniedError(`write to ${request.dataset} forwarded by ${sender} refused at the owner ${deps.self}: it does not say who asked for it (an operator's signed call, or the LDAP identity it was made as); nothing was changed`);
  }
}
