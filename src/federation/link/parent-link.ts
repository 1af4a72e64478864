// The child's side of its uplink: connect to the primary parent, fall back to
// the next parents in order with jittered backoff when it is lost, and while
// on a fallback keep probing the primary, moving back once it is reachable,
// linked upward itself and caught up with what we hold. The session itself
// (what flows) is made by the caller.

import { Backoff } from '../../kernel/backoff';
import type { Clock, Timer } from '../../kernel/clock';
import { formatHostPort } from '../../kernel/host-port';
import type { Logger } from '../../kernel/log';
import type { ParentRef } from './parent-ref';
import type { LinkSession } from './link-session';

export interface ParentLinkOptions {
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  primaryProbeMs: number;
  /** How long to wait for a parent's Hello before trying the next one. */
  helloTimeoutMs: number;
}

export interface ParentConnector {
  /** Open a session to this parent; resolves once its Hello arrived, or undefined. */
  connect(parent: ParentRef, helloTimeoutMs: number): Promise<LinkSession | undefined>;
  /** Is the primary back: reachable, linked upward, and at least as far along as we are? */
  primaryReady(parent: ParentRef): Promise<boolean>;
}

/** A session that lasted this long was a working link: its loss is retried at once and the backoff starts over. */
export const STABLE_SESSION_MS = 5000;

export class ParentLink {
  private session: LinkSession | undefined;
  private parentIndex = -1;
  private stopped = false;
  private lostSinceMs: number;
  private probeTimer: Timer | undefined;
  private wake: (() => void) | undefined;
  private readonly backoff: Backoff;
  private loopDone: Promise<void> = Promise.resolve();

  constructor(
    private readonly parents: readonly ParentRef[],
    private readonly connector: ParentConnector,
    private readonly options: ParentLinkOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.backoff = new Backoff({ initialMs: options.reconnectInitialMs, maxMs: options.reconnectMaxMs });
    this.lostSinceMs = clock.nowMs();
  }

  start(): void {
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.probeTimer?.cancel();
    this.session?.close('node stopping');
    this.wake?.();
    await this.loopDone;
  }

  get current(): { parent: ParentRef; session: LinkSession } | undefined {
    return this.session && !this.session.ended ? { parent: this.parents[this.parentIndex]!, session: this.session } : undefined;
  }

  /** When the uplink was lost (or the node started), if it is down now. */
  get downSinceMs(): number | undefined {
    return this.current ? undefined : this.lostSinceMs;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const connected = await this.connectFirstAvailable();
      if (connected) {
        const startedMs = this.clock.nowMs();
        const movedBack = await this.runSession(connected.session, connected.index);
        // A link that held is lost: try again at once. One the parent ended soon after it began
        // (it refused something we sent, or is failing) counts as a failed attempt: backing off
        // keeps a child from hammering its parent with a new TLS handshake every few ms.
        if (movedBack || this.clock.nowMs() - startedMs >= STABLE_SESSION_MS) this.backoff.reset();
        else if (!this.stopped) await this.sleep(this.backoff.nextDelayMs());
        continue;
      }
      if (this.stopped) return;
      await this.sleep(this.backoff.nextDelayMs());
    }
  }

  private async connectFirstAvailable(): Promise<{ session: LinkSession; index: number } | undefined> {
    for (let index = 0; index < this.parents.length && !this.stopped; index++) {
      const session = await this.connector.connect(this.parents[index]!, this.options.helloTimeoutMs).catch(() => undefined);
      if (session && !session.ended) return { session, index };
    }
    return undefined;
  }

  /** Runs one session until it ends; true if it was closed on purpose to move back to the primary. */
  private async runSession(session: LinkSession, index: number): Promise<boolean> {
    const parent = this.parents[index]!;
    this.session = session;
    this.parentIndex = index;
    this.logger.info({ parent: parent.name, address: formatHostPort(parent.address), fallback: index > 0 }, 'linked to parent');
    if (index > 0) this.probeTimer = this.clock.setInterval(() => void this.probePrimary(session), this.options.primaryProbeMs).unref();
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      session.onEnded(() => {
        this.session = undefined;
        this.lostSinceMs = this.clock.nowMs();
        resolve();
      });
    });
    this.probeTimer?.cancel();
    this.probeTimer = undefined;
    if (this.stopped) return false;
    const movedBack = this.movingBack;
    if (movedBack) this.logger.info({ parent: parent.name }, 'left the fallback parent for the primary');
    else this.logger.warn({ parent: parent.name }, 'lost parent; trying parents in order');
    this.movingBack = false;
    return movedBack;
  }

  /** Set while a link to a fallback is closed on purpose (the primary is back): its end is not a loss. */
  private movingBack = false;

  private async probePrimary(session: LinkSession): Promise<void> {
    if (session.ended || this.stopped) return;
    const primary = this.parents[0]!;
    if (await this.connector.primaryReady(primary).catch(() => false)) {
      this.logger.info({ primary: primary.name }, 'primary parent is back and caught up; moving back to it');
      this.movingBack = true;
      session.close('moving back to the primary parent');
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(resolve, ms).unref();
      this.wake = () => {
        timer.cancel();
        resolve();
      };
    });
  }
}
