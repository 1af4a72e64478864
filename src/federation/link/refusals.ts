// What a node does with a peer's link after refusing a dataset the peer sent
// (session-policies.ts decides the refusal). The link is closed, so what was
// refused is offered again (and refused again) rather than silently lost —
// once what we send the peer has gone out and had time to be applied: a
// refusal must not also keep our data from the peer (a core rebuilt without
// its registry would otherwise never resync the branch below it).

import type { Clock } from '../../kernel/clock';
import type { Logger } from '../../kernel/log';
import type { LinkSession } from './link-session';
import type { PeerView } from './link-state';

/** How long a peer gets to apply what it received before its link is closed over a refusal. */
const REFUSED_LINK_GRACE_MS = 2000;

export class Refusals {
  /** Peer sessions to close once the link of a node they relayed for (linked here itself) ends. */
  private readonly closeWhenSpokenForEnds = new WeakSet<LinkSession>();

  /** `sessionOf`: the link (to the parent or a child) the peer speaks on now, if any. */
  constructor(private readonly sessionOf: (peer: PeerView) => LinkSession | undefined, private readonly clock: Clock, private readonly logger: Logger) {}

  /** PolicyFacts.refused: logs the refusal and closes the peer's link when it should. */
  refused(peer: PeerView, dataset: string, owner: string, why: string, spokenForBy?: LinkSession): void {
    this.logger.warn({ peer: peer.name, dataset, claimedOwner: owner, why }, 'refused a dataset from a peer');
    const session = this.sessionOf(peer);
    if (session?.peer !== peer) return;
    // (The peer drops what it has received but not yet applied when the link ends: it gets a while to apply it.
    // No deadline before caughtUp: a large snapshot cut off each time would never arrive.)
    const close = (): void => session.close(`refused ${dataset} (owner ${owner}): ${why}`);
    if (spokenForBy) {
      // Its owner is linked here itself: what the peer relays of it is not needed while that link lasts, and
      // closing the peer's link now would cut its whole branch off for as long as the owner — or a thief with
      // the owner's keys — stays linked here. Offered again (the peer relinks) once that link ends.
      if (this.closeWhenSpokenForEnds.has(session)) return;
      this.closeWhenSpokenForEnds.add(session);
      spokenForBy.onEnded(close);
      return;
    }
    void session.caughtUp.then(() => this.clock.setTimeout(close, REFUSED_LINK_GRACE_MS).unref());
  }
}
