// strata.v1.DirectoryService: chained password checks between nodes, and
// directory administration for the CLI (entries put, deleted, listed). The
// directory does the work; this file maps messages and errors.

import { InvalidArgumentError, UnavailableError } from '../../kernel/errors';
import { type ChainedAnswer, type DirEntry } from '../../directory';
import type { BindTicket } from '../grpc/generated/strata/v1/BindTicket';
import type { DirectoryServiceHandlers } from '../grpc/generated/strata/v1/DirectoryService';
import { reply, strataProto, type GrpcServer } from '../grpc/grpc-adapter';
import { fromWire, toWire } from '../client/directory-wire';

/** What the service needs from the node's directory (undefined until it started). */
export interface DirectoryAdmin {
  checkPassword(dn: string, password: string, hops: number): Promise<ChainedAnswer>;
  getEntry(dn: string, hops: number): Promise<{ entry: DirEntry | undefined; hasChildren: boolean }>;
  putEntries(entries: DirEntry[], replace: boolean): Promise<{ added: number; replaced: number }>;
  deleteEntry(dn: string): Promise<void>;
  listEntries(base: string, secrets: boolean): DirEntry[];
}

export const MAX_CHAIN_HOPS = 8;

/** `ticket`: this node's signed proof that it checked dn's password, for `bearer` (undefined in plaintext mode). */
export function addDirectoryService(server: GrpcServer, nodeName: string, directory: () => DirectoryAdmin | undefined, ticket: (dn: string, bearer: string) => BindTicket | undefined): void {
  const started = (): DirectoryAdmin => {
    const d = directory();
    if (!d) throw new UnavailableError(`the directory is not serving at ${nodeName} yet`);
    return d;
  };
  const handlers: DirectoryServiceHandlers = {
    CheckPassword: (call, callback) =>
      reply(callback, async () => {
        const { dn, password, hops } = call.request;
        if (hops > MAX_CHAIN_HOPS) return { result: 'unavailable' };
        const answer = await started().checkPassword(dn, password, hops);
        if (answer.result !== 'ok') return { result: answer.result };
        // Checked here, or further up (whose ticket is passed down as it is).
        return { result: 'ok', ticket: (answer.ticket as BindTicket | undefined) ?? ticket(dn, call.request.origin) };
      }),
    GetEntry: (call, callback) =>
      reply(callback, async () => {
        const { dn, hops } = call.request;
        if (hops > MAX_CHAIN_HOPS) throw new UnavailableError(`GetEntry passed ${MAX_CHAIN_HOPS} nodes without finding the subtree of ${dn}`);
        const { entry, hasChildren } = await started().getEntry(dn, hops);
        return { found: entry !== undefined, entryJson: entry ? JSON.stringify(entry) : '', hasChildren };
      }),
    PutEntries: (call, callback) =>
      reply(callback, async () => {
        if (call.request.entries.length === 0) throw new InvalidArgumentError('no entries given');
        const result = await started().putEntries(call.request.entries.map(fromWire), call.request.replace);
        return { ...result, deleted: 0 };
      }),
    DeleteEntry: (call, callback) =>
      reply(callback, async () => {
        await started().deleteEntry(call.request.dn);
        return { added: 0, replaced: 0, deleted: 1 };
      }),
    ListEntries: (call, callback) =>
      reply(callback, () => ({ node: nodeName, entries: started().listEntries(call.request.base, call.request.includeSecrets).map(toWire) })),
  };
  server.addService(strataProto().DirectoryService.service, handlers);
}
