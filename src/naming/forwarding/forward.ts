// Names this node does not hold: answered from the cache, or asked of the
// parent's DNS (names in the federation domain, and everything at non-core
// nodes) or of the core's configured upstream resolvers (names outside),
// then cached. Serve-stale (RFC 8767): when the source does not answer within
// the client-response timer, an expired positive answer is served with a
// short TTL and EDE 3 while the refresh goes on; never ahead of a working
// source, never a negative answer, never older than the max stale age.

import type { Clock } from '../../kernel/clock';
import type { HostPort } from '../../kernel/host-port';
import { DnsCache, type CachedAnswer } from './cache';
import { EDE } from '../server/dns2-adapter';
import { isInZone } from '../zones/names';
import type { NamingPorts } from '../ports';
import { answer, type Answer, type Context, type Handler, type Question } from './resolver';
import type { Upstream } from './upstream';
import { RCODE } from '../server/wire';

export interface ForwardOptions {
  /** RFC 8767 client-response timer. */
  clientTimeoutMs: number;
  /** TTL on a stale answer. */
  staleTtlS: number;
  /** How long one upstream server gets before the next is tried. */
  serverTimeoutMs: number;
  /** The core's resolvers for names outside the federation domain. */
  upstreams: readonly HostPort[];
}

type Fetched = CachedAnswer & { ede?: { code: number; text: string } };

export class ForwardHandler implements Handler {
  readonly name = 'forward';
  private readonly inflight = new Map<string, Promise<Fetched>>();

  constructor(
    private readonly cache: DnsCache,
    private readonly upstream: Upstream,
    private readonly ports: NamingPorts,
    private readonly options: ForwardOptions,
    private readonly clock: Clock,
  ) {}

  async resolve(question: Question, context: Context): Promise<Answer | undefined> {
    if (!context.recursionAllowed) {
      return answer({ rcode: RCODE.REFUSED, ede: { code: EDE.PROHIBITED, text: 'recursion is offered only to configured client networks' } });
    }
    if (!context.rd) return answer({ rcode: RCODE.REFUSED, ede: { code: EDE.NOT_AUTHORITATIVE, text: 'not authoritative for this name; set RD to ask for recursion' } });
    const key = DnsCache.key(question.name, question.type);
    const cached = this.cache.lookup(key);
    if (cached.kind === 'fresh') return answer({ ...cached.answer, additionals: [] });
    const servers = this.serversFor(question.name);
    const fetching = this.fetch(key, question, servers);
    if (cached.kind === 'stale') {
      const timer = this.clock.sleep(this.options.clientTimeoutMs).then(() => undefined);
      const first = await Promise.race([fetching.catch(() => undefined), timer]);
      if (first) return answer({ ...first, additionals: [] });
      return answer({
        rcode: cached.answer.rcode,
        answers: cached.answer.answers.map((r) => ({ ...r, ttl: this.options.staleTtlS })),
        authorities: cached.answer.authorities,
        ede: { code: EDE.STALE_ANSWER, text: `stale: ${servers.length ? 'the source did not answer in time' : 'no source is reachable'}` },
      });
    }
    try {
      return answer({ ...(await fetching), additionals: [] });
    } catch (err) {
      return answer({ rcode: RCODE.SERVFAIL, ede: { code: EDE.NO_REACHABLE_AUTHORITY, text: `no answer from ${servers.length ? 'upstream' : 'any source'}: ${(err as Error).message}` } });
    }
  }

  private serversFor(name: string): HostPort[] {
    const domain = this.ports.federationDomain();
    const inside = domain !== undefined && isInZone(name, domain);
    if (this.ports.isCore) return inside ? [] : [...this.options.upstreams];
    return this.ports.parentDns();
  }

  /** One upstream query per question at a time; the result refreshes the cache. */
  private fetch(key: string, question: Question, servers: HostPort[]): Promise<Fetched> {
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.upstream.query(servers, question.name, question.type, this.options.serverTimeoutMs).then((response) => {
        const result: Fetched = { rcode: response.rcode, answers: response.answers, authorities: response.authorities, ede: response.ede };
        if (response.ede?.code !== EDE.STALE_ANSWER) this.cache.store(key, { rcode: result.rcode, answers: result.answers, authorities: result.authorities });
        return result;
      });
      const settled = pending.finally(() => this.inflight.delete(key));
      settled.catch(() => undefined);
      this.inflight.set(key, pending);
    }
    return pending;
  }
}
