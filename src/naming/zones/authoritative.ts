// Answers from the zones this node holds, owned or replicated (AA): exact
// RRsets, CNAME chased within held zones, NODATA vs NXDOMAIN with the SOA in
// authority, and referrals at zone cuts to zones not held here (unless the
// client wants recursion and may have it: then the forward handler asks).

import { isInZone } from './names';
import { RR_TYPES, typeName, type Rr } from './records';
import { answer, type Answer, type Context, type Handler, type Question } from '../forwarding/resolver';
import { RCODE } from '../server/wire';
import type { Zones } from './zones';

const MAX_CNAME_CHAIN = 8;

export class AuthoritativeHandler implements Handler {
  readonly name = 'authoritative';

  /** `isCore`: nothing above to ask, so a cut not held here is answered with the referral even for recursive clients. */
  constructor(private readonly zones: Zones, private readonly isCore = false) {}

  resolve(question: Question, context: Context): Answer | undefined {
    const zone = this.zones.zoneFor(question.name);
    if (zone === undefined) return undefined;
    const cut = this.zones.cut(zone, question.name);
    if (cut) {
      if (question.type === 2 && cut.at === question.name && !context.rd) return this.referral(cut.ns);
      if (context.rd && context.recursionAllowed && !this.isCore) return undefined;
      return this.referral(cut.ns);
    }
    return this.fromZone(zone, question);
  }

  private referral(ns: Rr[]): Answer {
    const glue = this.zones.glue(ns.map((r) => (r.data as { ns: string }).ns));
    return answer({ rcode: RCODE.NOERROR, authorities: ns, additionals: glue });
  }

  private fromZone(startZone: string, question: Question): Answer | undefined {
    const answers: Rr[] = [];
    let zone = startZone;
    let name = question.name;
    for (let hop = 0; hop < MAX_CNAME_CHAIN; hop++) {
      const found = this.lookup(zone, name, question.type);
      if (found.length > 0) return answer({ rcode: RCODE.NOERROR, aa: true, answers: [...answers, ...found] });
      const cname = question.type === RR_TYPES.CNAME ? [] : this.zones.rrset(zone, name, 'CNAME');
      if (cname.length === 0) {
        const rcode = this.zones.exists(zone, name) ? RCODE.NOERROR : RCODE.NXDOMAIN;
        return answer({ rcode, aa: true, answers, authorities: [this.zones.soa(zone)] });
      }
      answers.push(cname[0]!);
      name = (cname[0]!.data as { domain: string }).domain;
      const next = this.zones.zoneFor(name);
      if (next === undefined || this.zones.cut(next, name)) return answer({ rcode: RCODE.NOERROR, aa: true, answers });
      zone = next;
    }
    return answer({ rcode: RCODE.SERVFAIL, aa: false, answers, ede: { code: 0, text: `CNAME chain longer than ${MAX_CNAME_CHAIN}` } });
  }

  private lookup(zone: string, name: string, type: number): Rr[] {
    if (type === RR_TYPES.ANY) return this.zones.recordsAt(zone, name);
    const named = typeName(type);
    if (!named || !isInZone(name, zone)) return [];
    return this.zones.rrset(zone, name, named);
  }
}
