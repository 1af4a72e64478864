// The owner's check of a directory write forwarded as an LDAP principal
// (DESIGN §7): the node where the client bound (the write's origin) must be
// trusted with the principal's password hash by the credential policy — a
// site that holds a hash could bind as that principal anyway — or bring a
// ticket from a node that is, and that checked the password. Then the
// principal itself must be allowed the change (directory/security/owner-check.ts).

import { normalizeDn, withheld, type CredentialFacts } from '../../directory';
import type { Mutation } from '../../store';
import { checkTicket } from './bind-ticket';
import type { DirectoryPrincipal__Output } from '../grpc/generated/strata/v1/DirectoryPrincipal';
import type { WriteRequest__Output } from '../grpc/generated/strata/v1/WriteRequest';
import type { LinkSession } from '../link/link-session';
import type { PkiView } from './pki';

export interface DirectoryPrincipalDeps {
  self: string;
  tier: string;
  pki: PkiView;
  caPem(): string | undefined;
  credentials: CredentialFacts;
  /** The directory's rules for the change itself (undefined: allowed). */
  checkChange(principalDn: string, dataset: string, mutations: Mutation[]): string | undefined;
  nowMs(): number;
  /** The core's name (it is in no registry entry: it enrols nobody's way). */
  coreName(): string | undefined;
  /** Did this write come down from this node's parent (which routes for the whole tree)? */
  fromParent(from: LinkSession): boolean;
}

export function directoryPrincipalCheck(deps: DirectoryPrincipalDeps) {
  return (principal: DirectoryPrincipal__Output, request: WriteRequest__Output, mutations: Mutation[], from: LinkSession): string | undefined => {
    const sender = from.peer;
    if (!sender) return 'the link has not said hello';
    const origin = request.origin || sender.name;
    // From below, a child speaks for itself and the nodes placed under it; from above, the parent routes for everyone.
    if (!deps.fromParent(from) && origin !== sender.name && !deps.pki.isUnder(origin, sender.name)) {
      return `${sender.name} relays a write from ${origin}, which is not placed under it`;
    }
    const originTier = origin === deps.coreName() ? 'core' : origin === sender.name ? sender.tier : origin === deps.self ? deps.tier : deps.pki.node(origin)?.tier;
    if (!originTier) return `the tier of ${origin} is not known here (certificate registry)`;
    let norm: string;
    try {
      norm = normalizeDn(principal.dn);
    } catch {
      return `${principal.dn} is not a valid DN`;
    }
    if (withheld(deps.credentials.rules(), norm, originTier, deps.credentials.isMember)) {
      const caPem = deps.caPem();
      if (!principal.ticket) return `${origin} (a ${originTier} node) is not trusted with the password of ${principal.dn} and brings no ticket from a node that checked it`;
      if (!caPem) return 'this node has no CA to check the ticket against';
      const ticket = principal.ticket;
      if (ticket.bearer !== origin && !deps.pki.isUnder(origin, ticket.bearer)) return `the ticket was given to ${ticket.bearer}, not to ${origin} or a node above it`;
      const signer = checkTicket(ticket, principal.dn, ticket.bearer, caPem, deps.pki, deps.nowMs());
      if (typeof signer === 'string') return signer;
      const signerTier = signer.unit ?? 'site';
      if (withheld(deps.credentials.rules(), norm, signerTier, deps.credentials.isMember)) return `the ticket's signer ${signer.commonName} is not trusted with the password of ${principal.dn} either`;
    }
    return deps.checkChange(principal.dn, request.dataset, mutations);
  };
}
