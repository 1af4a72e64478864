// Naming for one node: wires zones, cache, upstream client, the handler
// chain, the packet cache, health checks and the DNS listeners, started in
// that order and stopped in reverse. Its configuration arrives validated.

import type { Clock } from '../kernel/clock';
import type { HostPort } from '../kernel/host-port';
import type { Logger } from '../kernel/log';
import type { Metrics } from '../kernel/metrics';
import type { Store } from '../store';
import { AuthoritativeHandler } from './zones/authoritative';
import { DnsCache } from './forwarding/cache';
import { DnsServer } from './server/dns-server';
import { addressMatcher, FastPath } from './server/fast-path';
import { ForwardHandler } from './forwarding/forward';
import { HealthChecker } from './services/health-checker';
import { PacketCache } from './server/packet-cache';
import type { NamingPorts } from './ports';
import { QueryHandler, type Transfer } from './server/query-handler';
import type { Rr } from './zones/records';
import { Resolver, type Answer } from './forwarding/resolver';
import { ServiceHandler } from './services/service-handler';
import { SERVICES_DATASET_PREFIX } from './services/services';
import { Upstream } from './forwarding/upstream';
import { ZONE_DATASET_PREFIX, Zones } from './zones/zones';

export interface NamingConfig {
  listen: HostPort;
  /** CIDRs allowed recursion, e.g. "127.0.0.0/8". */
  recursionFrom: readonly string[];
  upstreams: readonly HostPort[];
  cache: { maxEntries: number; maxTtlS: number; maxStaleS: number };
  staleTtlS: number;
  clientTimeoutMs: number;
  serverTimeoutMs: number;
  serviceTtlS: number;
  /** Addresses allowed to AXFR held zones. */
  transferTo: readonly string[];
  /** Worker processes serving UDP (0: the node process does). */
  workers: number;
}

const AXFR_RECORDS_PER_MESSAGE = 100;
const PACKET_CACHE_ENTRIES = 10_000;

export class Naming {
  readonly zones: Zones;
  private readonly resolver: Resolver;
  private readonly server: DnsServer;
  private readonly checker: HealthChecker;
  private readonly packetCache: PacketCache;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly config: NamingConfig, private readonly store: Store, ports: NamingPorts, clock: Clock, logger: Logger, metrics: Metrics) {
    this.zones = new Zones(store);
    const cache = new DnsCache(config.cache, clock);
    const forward = new ForwardHandler(cache, new Upstream(clock), ports, config, clock);
    const resolver = (this.resolver = new Resolver({
      services: new ServiceHandler(store, this.zones, ports, forward, config.serviceTtlS),
      authoritative: new AuthoritativeHandler(this.zones, ports.isCore),
      forward,
    }));
    this.packetCache = new PacketCache(PACKET_CACHE_ENTRIES, clock);
    const handler = new QueryHandler(resolver, new FastPath(this.packetCache, addressMatcher(config.recursionFrom)), {
      queries: metrics.counter('strata_dns_responses_total', 'DNS responses sent, by response code, and whether a packet cache answered (cache="hit") or the node computed it (cache="miss")', ['transport', 'rcode', 'cache']),
      malformed: metrics.counter('strata_dns_malformed_total', 'DNS messages dropped or answered FORMERR as malformed', ['transport']),
    }, this.transfer());
    this.server = new DnsServer(handler, logger, clock, { count: config.workers, recursionFrom: config.recursionFrom, maxEntries: PACKET_CACHE_ENTRIES, storeDir: store.dir, isCore: ports.isCore });
    this.checker = new HealthChecker(store, ports.nodeName, clock, logger);
  }

  async start(): Promise<number> {
    this.unsubscribe = this.store.onChange((names) => {
      if (names.some((n) => n.startsWith(ZONE_DATASET_PREFIX) || n.startsWith(SERVICES_DATASET_PREFIX))) {
        this.packetCache.clear();
        this.server.clearWorkerCaches(this.packetCache.generation);
      }
    });
    this.checker.start();
    return this.server.listen(this.config.listen);
  }

  /** `name` (canonical) resolved as this node answers a client on its own network (recursion allowed). */
  resolve(name: string, type: number): Promise<Answer> {
    return this.resolver.resolve({ name, type }, { rd: true, recursionAllowed: true });
  }

  /** Health checks of this node's services on (the default) or off: a core group runs them at its leader only. */
  healthChecks(on: boolean): void {
    this.checker.stop();
    if (on) this.checker.start();
  }

  async stop(): Promise<void> {
    await this.server.close();
    this.checker.stop();
    this.unsubscribe?.();
  }

  private transfer(): Transfer {
    return {
      axfr: (name, client) => {
        if (!this.config.transferTo.includes(client) && !this.config.transferTo.includes(client.replace(/^::ffff:/, ''))) return undefined;
        if (!this.zones.zones().includes(name)) return undefined;
        const soa = this.zones.soa(name);
        const all: Rr[] = [soa, ...this.zones.all(name), soa];
        const messages: Rr[][] = [];
        for (let i = 0; i < all.length; i += AXFR_RECORDS_PER_MESSAGE) messages.push(all.slice(i, i + AXFR_RECORDS_PER_MESSAGE));
        return messages;
      },
    };
  }
}
