// strata.v1.ResolverService: a name resolved as the called node answers DNS
// clients on its own network — `strata resolve` and any gRPC client use it
// to see the tree from one node without a DNS client on that network.

import { InvalidArgumentError, UnavailableError } from '../../kernel/errors';
import { canonical, rdataText, typeNumber, type Answer, type Rr, type RrTypeName } from '../../naming';
import type { ResolverServiceHandlers } from '../grpc/generated/strata/v1/ResolverService';
import { reply, strataProto, type GrpcServer } from '../grpc/grpc-adapter';

export interface ResolverDeps {
  nodeName: string;
  /** undefined while DNS is not started. */
  resolve(name: string, type: number): Promise<Answer> | undefined;
}

const RCODE_NAMES: Record<number, string> = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };
const QUERY_TYPES = ['A', 'AAAA', 'CNAME', 'TXT', 'SRV', 'MX', 'PTR', 'NS', 'SOA'];

export function addResolverService(server: GrpcServer, deps: ResolverDeps): void {
  const handlers: ResolverServiceHandlers = {
    Resolve: (call, callback) =>
      reply(callback, async () => {
        const type = (call.request.type || 'A').toUpperCase();
        if (!QUERY_TYPES.includes(type)) throw new InvalidArgumentError(`cannot resolve type ${type}; use one of ${QUERY_TYPES.join(', ')}`);
        const name = canonical(call.request.name);
        if (!name) throw new InvalidArgumentError('give a name to resolve');
        const answer = await deps.resolve(name, typeNumber(type as RrTypeName));
        if (!answer) throw new UnavailableError(`DNS is not serving at ${deps.nodeName} yet`);
        return {
          node: deps.nodeName,
          rcode: RCODE_NAMES[answer.rcode] ?? String(answer.rcode),
          authoritative: answer.aa,
          answers: answer.answers.map(record),
          authorities: answer.authorities.map(record),
          ede: answer.ede ? `${answer.ede.code} ${answer.ede.text}` : '',
        };
      }),
  };
  server.addService(strataProto().ResolverService.service, handlers);
}

function record(rr: Rr): { name: string; type: string; ttl: number; data: string } {
  return { name: `${rr.name}.`, type: rr.type, ttl: rr.ttl, data: rdataText(rr.type, rr.data) };
}
