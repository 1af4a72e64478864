// One DNS message in, one out (or none): checks the wire, applies the
// protocol rules that do not depend on data (opcode, class, EDNS version,
// AXFR only over TCP), asks the resolver, and encodes the answer with EDNS
// echoed, the question's case preserved and TC when it does not fit. The
// packet cache is consulted and filled here. Sockets are dns-server.ts's business.

import type { Counter } from '../../kernel/metrics';
import { encodeResponse, EDE, type Response } from './dns2-adapter';
import { canonical } from '../zones/names';
import type { FastPath, Transport } from './fast-path';
import { RR_TYPES, type Rr } from '../zones/records';
import type { Answer, Resolver } from '../forwarding/resolver';
import { RCODE, rcodeOf, readQuery, type Query } from './wire';

export const DEFAULT_UDP_PAYLOAD = 1232;
const CLASS_IN = 1;
const CLASS_ANY = 255;
/** IXFR (RFC 1995): answered as a full transfer, like AXFR. */
const TYPE_IXFR = 251;

export interface QueryMetrics {
  queries: Counter<'transport' | 'rcode' | 'cache'>;
  malformed: Counter<'transport'>;
}

export interface Transfer {
  /** Full zone transfer for `name` to `client`, as response messages; undefined → REFUSED. */
  axfr(name: string, client: string): Rr[][] | undefined;
}

/** What to send back, and whether (and how) the first message may be packet-cached. */
export interface Answered {
  replies: Buffer[];
  /** `age`: the answer came from elsewhere, so a cache counts its TTLs down. */
  cacheFor?: { key: string; ttlS: number; generation: number; age: boolean };
}

export class QueryHandler {
  constructor(
    private readonly resolver: Resolver,
    private readonly fast: FastPath,
    private readonly metrics: QueryMetrics,
    private readonly transfer: Transfer,
  ) {}

  private readonly hitCounters = new Map<string, { inc(n?: number): void }>();
  private lastMiss: { message: Buffer; client: string; transport: Transport; key: string } | undefined;

  /**
   * The hot path, synchronous: the packet cache's answer for this message, or undefined (then call
   * handle()). An entry due for a refresh is answered again in the background.
   */
  cached(message: Buffer, client: string, transport: Transport): Buffer | undefined {
    const probe = this.fast.probe(message, client, transport);
    const hit = probe?.hit;
    // A miss is answered next by handle(message): it reuses this key instead of building it again.
    this.lastMiss = !hit && probe ? { message, client, transport, key: probe.key } : undefined;
    if (!hit) return undefined;
    this.countCached(transport, rcodeOf(hit.response), 1);
    if (hit.refresh) void this.handle(message, client, transport).catch(() => undefined);
    return hit.response;
  }

  /** Counts answers sent from a packet cache (here or in a DNS worker process), by response code. */
  countCached(transport: Transport, rcode: number, n: number): void {
    const key = `${transport}|${rcode}`;
    let counter = this.hitCounters.get(key);
    if (!counter) this.hitCounters.set(key, (counter = this.metrics.queries.labels(transport, String(rcode), 'hit')));
    counter.inc(n);
  }

  /** Returns the messages to send back (several for AXFR), or [] to drop; caches what may be. */
  async handle(message: Buffer, client: string, transport: Transport): Promise<Buffer[]> {
    const { replies, cacheFor } = await this.answer(message, client, transport);
    if (cacheFor) this.fast.store(cacheFor.key, replies[0]!, cacheFor.ttlS, cacheFor.generation, cacheFor.age);
    return replies;
  }

  countMalformed(transport: Transport, n: number): void {
    this.metrics.malformed.inc({ transport }, n);
  }

  /** Counts answers a DNS worker computed itself (from held zones), by response code. */
  countComputed(transport: Transport, rcode: number, n: number): void {
    this.metrics.queries.inc({ transport, rcode: String(rcode), cache: 'miss' }, n);
  }

  /** As handle(), but leaves caching to the caller (a DNS worker keeps its own packet cache). */
  async answer(message: Buffer, client: string, transport: Transport): Promise<Answered> {
    return (await this.compute(message, client, transport, false))!;
  }

  /**
   * As answer(), from what this handler's resolver has here, or undefined when
   * none of its handlers has an answer (a DNS worker then asks the node).
   */
  answerHere(message: Buffer, client: string, transport: Transport, key?: string): Promise<Answered | undefined> {
    // The caller probed the packet cache already: its key is reused when the answer is cached.
    this.lastMiss = key === undefined ? undefined : { message, client, transport, key };
    return this.compute(message, client, transport, true);
  }

  private async compute(message: Buffer, client: string, transport: Transport, hereOnly: boolean): Promise<Answered | undefined> {
    const generation = this.fast.generation;
    const miss = this.lastMiss;
    this.lastMiss = undefined;
    const read = readQuery(message);
    if (read.kind === 'drop') {
      this.metrics.malformed.inc({ transport });
      return { replies: [] };
    }
    if (read.kind === 'error') {
      if (read.rcode === RCODE.FORMERR) this.metrics.malformed.inc({ transport });
      return { replies: [this.finish({ id: read.id, opcode: read.opcode, rd: read.rd, ra: false, aa: false, rcode: read.rcode, answers: [], authorities: [], additionals: [] }, transport, undefined)] };
    }
    const query = read.query;
    const allowed = this.fast.allowed(client);
    const base = { id: query.id, opcode: 0, rd: query.rd, ra: allowed, question: { name: query.name, type: query.type, class: query.class } };
    if (query.edns && query.edns.version > 0) return { replies: [this.finish({ ...base, aa: false, rcode: RCODE.BADVERS, answers: [], authorities: [], additionals: [] }, transport, query)] };
    if (query.class !== CLASS_IN && query.class !== CLASS_ANY) return { replies: [this.finish({ ...base, aa: false, rcode: RCODE.NOTIMP, answers: [], authorities: [], additionals: [] }, transport, query, { code: EDE.NOT_SUPPORTED, text: 'only class IN is served' })] };
    if (query.type === RR_TYPES.AXFR || query.type === TYPE_IXFR) return { replies: this.zoneTransfer(query, base, client, transport) };
    const answer = await this.resolve(query, allowed, hereOnly);
    if (!answer) return undefined;
    const out = this.finish({ ...base, aa: answer.aa, rcode: answer.rcode, answers: answer.answers, authorities: answer.authorities, additionals: answer.additionals }, transport, query, answer.ede);
    if (answer.ede || !(answer.aa || answer.rcode === RCODE.NOERROR || answer.rcode === RCODE.NXDOMAIN)) return { replies: [out] };
    // Answers live until their smallest TTL (or a data change clears the cache); those from
    // elsewhere have their TTLs counted down while cached, as the resolver cache behind them does.
    const key = miss && miss.message === message && miss.client === client && miss.transport === transport ? miss.key : this.fast.key(message, query, client, transport);
    return { replies: [out], cacheFor: { key, ttlS: minTtl(answer), generation, age: !answer.aa } };
  }

  private async resolve(query: Query, recursionAllowed: boolean, hereOnly = false): Promise<Answer | undefined> {
    try {
      const question = { name: canonical(query.name), type: query.type };
      const context = { rd: query.rd, recursionAllowed };
      return await (hereOnly ? this.resolver.tryResolve(question, context) : this.resolver.resolve(question, context));
    } catch (err) {
      if (hereOnly) return undefined; // a DNS worker's store view failed (a dataset gone meanwhile): the node answers
      return { rcode: RCODE.SERVFAIL, aa: false, answers: [], authorities: [], additionals: [], ede: { code: EDE.OTHER, text: `internal error: ${(err as Error).message}` } };
    }
  }

  private zoneTransfer(query: Query, base: Omit<Response, 'aa' | 'rcode' | 'answers' | 'authorities' | 'additionals'>, client: string, transport: Transport): Buffer[] {
    const refuse = (text: string): Buffer[] => [this.finish({ ...base, aa: false, rcode: RCODE.REFUSED, answers: [], authorities: [], additionals: [] }, transport, query, { code: EDE.PROHIBITED, text })];
    if (transport !== 'tcp') return refuse('zone transfers are only over TCP');
    const messages = this.transfer.axfr(canonical(query.name), client);
    if (!messages) return refuse('zone transfer not allowed for this client or zone');
    return messages.map((answers) => this.finish({ ...base, aa: true, rcode: RCODE.NOERROR, answers, authorities: [], additionals: [] }, transport, query));
  }

  /** Encode with EDNS echoed, 0x20 case kept, and TC if it does not fit over UDP. */
  private finish(response: Response, transport: Transport, query: Query | undefined, ede?: { code: number; text: string }): Buffer {
    const qname = query?.name;
    const keepCase = (rr: Rr): Rr => (qname !== undefined && rr.name === canonical(qname) ? { ...rr, name: qname } : rr);
    const full: Response = {
      ...response,
      answers: response.answers.map(keepCase),
      authorities: response.authorities,
      additionals: response.additionals,
      edns: query?.edns ? { payload: DEFAULT_UDP_PAYLOAD, ede } : undefined,
    };
    this.metrics.queries.inc({ transport, rcode: String(response.rcode), cache: 'miss' });
    const encoded = encodeResponse(full);
    const limit = transport === 'udp' ? Math.min(query?.edns?.payload ?? 512, query?.edns ? DEFAULT_UDP_PAYLOAD : 512) : 65535;
    if (encoded.length <= limit) return encoded;
    return encodeResponse({ ...full, tc: true, answers: [], authorities: [], additionals: [] });
  }
}

function minTtl(answer: Answer): number {
  const ttls = [...answer.answers, ...answer.authorities].map((r) => r.ttl);
  return ttls.length ? Math.min(...ttls) : 0;
}
