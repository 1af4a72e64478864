// Answers service names (DESIGN §4): <svc>.svc.<domain> with the nearest
// healthy instances seen from this node (its own, else deeper in its
// subtree); _<svc>._tcp.svc.<domain> as SRV; <svc>.svc.<zone> for the
// instances of the node owning <zone>. When nothing in this node's scope is
// healthy it asks upward (the parent answers from its wider scope); the core
// answers NODATA or NXDOMAIN. Service answers carry a short TTL.

import { isIPv4, isIPv6 } from 'node:net';
import type { Store } from '../../store';
import type { NamingPorts } from '../ports';
import { RR_TYPES, type Rr } from '../zones/records';
import { answer, type Answer, type Context, type Handler, type Question } from '../forwarding/resolver';
import { allInstances, anyInstance, instancesOf, nearestHealthy, parseServiceName, servicesDataset, serving, SERVICE_TTL_S, type Instance } from './services';
import { RCODE } from '../server/wire';
import type { Zones } from '../zones/zones';


export class ServiceHandler implements Handler {
  readonly name = 'services';

  constructor(
    private readonly store: Store,
    private readonly zones: Zones,
    private readonly ports: NamingPorts,
    private readonly askUpward: Handler,
    private readonly ttlS = SERVICE_TTL_S,
  ) {}

  async resolve(question: Question, context: Context): Promise<Answer | undefined> {
    const domain = this.ports.federationDomain();
    const parsed = domain !== undefined ? parseServiceName(question.name, domain) : undefined;
    if (!parsed || domain === undefined) return undefined;
    if (parsed.kind === 'site') return this.site(question, parsed.service, parsed.zone, context);
    if (parsed.kind === 'empty') return this.emptyNonTerminal(question, parsed.zone, domain, context);
    const instances = nearestHealthy(this.store, this.ports, parsed.service);
    if (instances.length > 0) return this.instancesAnswer(question, instances, parsed.kind === 'srv');
    if (!this.ports.isCore) return (await this.askUpward.resolve(question, context)) ?? this.none(question, parsed.service, domain);
    return this.none(question, parsed.service, domain);
  }

  private async site(question: Question, service: string, zone: string, context: Context): Promise<Answer | undefined> {
    const owner = this.zones.owner(zone);
    if (owner === undefined) return this.askUpward.resolve(question, context);
    const instances = instancesOf(this.store, service).filter((i) => i.node === owner && serving(i));
    return this.instancesAnswer(question, instances, false, zone);
  }

  /**
   * svc.<domain>, _tcp.svc.<domain>, svc.<zone>: NODATA while a service name
   * exists below (a resolver that trusts RFC 8020 would otherwise take every
   * service name for NXDOMAIN). With nothing below, the zone decides (NXDOMAIN).
   */
  private async emptyNonTerminal(question: Question, zone: string | undefined, domain: string, context: Context): Promise<Answer | undefined> {
    if (zone !== undefined) {
      const owner = this.zones.owner(zone);
      if (owner === undefined) return undefined; // not a node's zone: an ordinary name in a zone
      const dataset = servicesDataset(owner);
      if (this.store.dataset(dataset) === undefined) return this.ports.isCore ? undefined : this.askUpward.resolve(question, context);
      return allInstances(this.store, dataset).length > 0 ? this.nodata(zone) : undefined;
    }
    if (anyInstance(this.store)) return this.nodata(domain);
    return this.ports.isCore ? undefined : this.askUpward.resolve(question, context);
  }

  private instancesAnswer(question: Question, instances: Instance[], srv: boolean, zone?: string): Answer {
    const soaZone = zone ?? this.ports.federationDomain()!;
    if (srv) {
      if (question.type !== RR_TYPES.SRV && question.type !== RR_TYPES.ANY) return this.nodata(soaZone);
      const target = (i: Instance): string => `${i.service}.svc.${this.zoneOfNode(i.node) ?? `${i.node}.${this.ports.federationDomain()}`}`;
      const answers: Rr[] = instances.map((i) => ({ name: question.name, type: 'SRV', ttl: this.ttlS, data: { priority: 0, weight: 1, port: i.port, target: target(i) } }));
      const additionals = instances.map((i) => addressRecord(target(i), i.address, this.ttlS)).filter((r): r is Rr => r !== undefined);
      return answer({ rcode: RCODE.NOERROR, aa: true, answers, additionals });
    }
    const wanted = question.type === RR_TYPES.ANY ? instances : instances.filter((i) => (question.type === RR_TYPES.A ? isIPv4(i.address) : question.type === RR_TYPES.AAAA && isIPv6(i.address)));
    if (wanted.length === 0) return this.nodata(soaZone);
    const seen = new Set<string>();
    const answers = wanted
      .filter((i) => !seen.has(i.address) && seen.add(i.address))
      .map((i) => addressRecord(question.name, i.address, this.ttlS))
      .filter((r): r is Rr => r !== undefined);
    return answer({ rcode: RCODE.NOERROR, aa: true, answers });
  }

  /** The zone a node owns, if this node holds it. */
  private zoneOfNode(node: string): string | undefined {
    return this.zones.zones().find((z) => this.zones.owner(z) === node);
  }

  private none(question: Question, service: string, domain: string): Answer {
    const known = instancesOf(this.store, service).length > 0;
    return answer({ rcode: known ? RCODE.NOERROR : RCODE.NXDOMAIN, aa: true, authorities: [this.shortSoa(this.zones.zoneFor(question.name) ?? domain)] });
  }

  private nodata(zone: string): Answer {
    return answer({ rcode: RCODE.NOERROR, aa: true, authorities: [this.shortSoa(this.zones.zoneFor(zone) ?? zone)] });
  }

  /** Service health changes fast: a negative service answer is cached no longer than a positive one. */
  private shortSoa(zone: string): Rr {
    const soa = this.zones.soa(zone);
    return { ...soa, ttl: this.ttlS, data: { ...(soa.data as { minimum: number }), minimum: this.ttlS } as Rr['data'] };
  }
}


function addressRecord(name: string, address: string, ttl: number): Rr | undefined {
  if (isIPv4(address)) return { name, type: 'A', ttl, data: { address } };
  if (isIPv6(address)) return { name, type: 'AAAA', ttl, data: { address } };
  return undefined;
}
