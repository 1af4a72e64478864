// Renews this node's certificate before it expires, over the tree (DESIGN
// §7, renewal.ts): checked at start and hourly; when due (a third of its life
// left, or security.renewBeforeDays), a request for a new key signed with the
// current one goes to the core (through the parent; the core signs its own),
// and the new key and certificate are saved and served from then on. A
// failure is logged and retried at the next check; the old certificate
// stays valid until it expires.

import type { Clock, Timer } from '../kernel/clock';
import { errorMessage } from '../kernel/errors';
import type { Logger } from '../kernel/log';
import { describeCertificate } from '../kernel/x509';
import type { NodeIdentity } from '../federation/grpc/grpc-adapter';
import { renewalDue, renewRequest, type RenewRequest } from '../federation/enrolment/renewal';
import { missingNames } from './tls-files';

const CHECK_MS = 60 * 60 * 1000;
/** After a failed attempt: sooner than the hourly check (a lost answer leaves the node with a revoked certificate). */
const RETRY_MS = 10_000;

export interface RenewerDeps {
  name: string;
  hosts: string[];
  /** Names the certificate must have (security.certificateNames): one missing makes a renewal due now. */
  mustName: readonly string[];
  renewBeforeMs: number;
  clock: Clock;
  logger: Logger;
  current(): NodeIdentity | undefined;
  /** The new key to ask for, the same until installed. */
  newKey(): string;
  /** Was a renewal started and not installed (a crash, a lost answer)? Then it is finished whatever the dates say. */
  unfinished(): boolean;
  /** Sends the request to whoever signs (the core, through the parents); resolves with the new certificate. */
  ask(request: RenewRequest): Promise<{ certPem: string }>;
  /** Save and serve the new identity. */
  install(identity: NodeIdentity): Promise<void>;
}

export class CertificateRenewer {
  private timer: Timer | undefined;
  private retry: Timer | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(private readonly deps: RenewerDeps) {}

  start(): void {
    this.timer = this.deps.clock.setInterval(() => void this.check(), CHECK_MS).unref();
    void this.check();
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.retry?.cancel();
    return this.running ?? Promise.resolve();
  }

  /** Renews if due; resolves when done (or failed, logged). */
  check(): Promise<void> {
    this.running ??= this.renewIfDue().finally(() => (this.running = undefined));
    return this.running;
  }

  private async renewIfDue(): Promise<void> {
    const current = this.deps.current();
    if (!current) return;
    const { notBeforeMs, notAfterMs } = describeCertificate(current.certPem);
    const missing = missingNames(current.certPem, this.deps.mustName);
    if (!this.deps.unfinished() && missing.length === 0 && !renewalDue(notBeforeMs, notAfterMs, this.deps.clock.nowMs(), this.deps.renewBeforeMs)) return;
    if (missing.length > 0) this.deps.logger.info({ missing }, 'the certificate does not name every security.certificateNames entry: renewing it now');
    try {
      const { keyPem, request } = renewRequest(current, this.deps.name, this.deps.hosts, this.deps.newKey());
      const { certPem } = await this.deps.ask(request);
      await this.deps.install({ caPem: current.caPem, keyPem, certPem });
      this.deps.logger.info({ notAfter: new Date(describeCertificate(certPem).notAfterMs).toISOString() }, 'certificate renewed');
    } catch (err) {
      this.deps.logger.warn({ err: errorMessage(err), notAfter: new Date(notAfterMs).toISOString() }, `certificate renewal failed; retrying in ${RETRY_MS / 1000} s`);
      if (!this.stopped) this.retry = this.deps.clock.setTimeout(() => void this.check(), RETRY_MS).unref();
    }
  }
}
