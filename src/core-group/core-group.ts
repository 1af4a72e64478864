// One member of a highly available core group (DESIGN "The core, highly
// available"): the etcd connection, the CA every member issues with (kept in
// etcd), the sequencer the member's store writes through, and the election
// of the member that does the leader-only duties (service health checks,
// trimming the change log in etcd).

import type { Clock } from '../kernel/clock';
import { errorMessage, UnavailableError } from '../kernel/errors';
import type { Logger } from '../kernel/log';
import type { Metrics } from '../kernel/metrics';
import type { Store } from '../store';
import { EtcdPort } from './etcd-port';
import { EtcdSequencer } from './etcd-sequencer';
import { encodeJson } from './shared-log';
import { trimSharedLogs } from './log-trim';

const LEADER_LEASE_S = 3;
const CAMPAIGN_RETRY_MS = 1000;

export interface CoreGroupSettings {
  /** This member's name (logs, the leader election). */
  readonly member: string;
  readonly etcd: { readonly endpoints: readonly string[]; readonly prefix: string; readonly callTimeoutMs: number; readonly maxTxnOps: number };
}

/** The CA and join secret, as one value: what every member issues certificates and join tokens with. */
export interface AuthorityFiles {
  caKeyPem: string;
  caCertPem: string;
  secretHex: string;
}

export interface CoreGroupOptions {
  settings: CoreGroupSettings;
  clock: Clock;
  logger: Logger;
  writeTimeoutMs: number;
  /** Changes kept in etcd's log per dataset (the store's compaction keepChanges). */
  keepChanges: number;
  trimIntervalMs: number;
  metrics: Metrics;
  timed?: (stage: 'etcd-read' | 'etcd-commit' | 'mirror', ms: number) => void;
}

export class CoreGroup {
  readonly sequencer: EtcdSequencer;
  private readonly etcd: EtcdPort;
  private leader = false;
  private readonly leadershipListeners = new Set<(leader: boolean) => void>();
  private campaign: { resign(): Promise<void> } | undefined;
  private stopped = false;
  private trimTimer: { cancel(): void } | undefined;

  constructor(private readonly options: CoreGroupOptions) {
    const { etcd } = options.settings;
    this.etcd = new EtcdPort({ endpoints: etcd.endpoints, callTimeoutMs: etcd.callTimeoutMs, nowMs: () => options.clock.nowMs() });
    this.sequencer = new EtcdSequencer(this.etcd, {
      prefix: etcd.prefix,
      clock: options.clock,
      logger: options.logger,
      writeTimeoutMs: options.writeTimeoutMs,
      maxMutationsPerTxn: Math.max(1, Math.floor((etcd.maxTxnOps - 1) / 2)),
      ...(options.timed ? { timed: options.timed } : {}),
    });
    const leader = (): boolean => this.leader;
    const sequencer = this.sequencer;
    options.metrics.gauge('strata_core_group_leader', '1 while this member of the core group is its leader (health checks, log trimming)', [], function () {
      this.set(leader() ? 1 : 0);
    });
    options.metrics.gauge('strata_core_group_etcd_up', '0 while etcd does not answer this member (core-owned writes are refused), else 1', [], function () {
      this.set(sequencer.unreachableSince === undefined ? 1 : 0);
    });
  }

  get member(): string {
    return this.options.settings.member;
  }

  get isLeader(): boolean {
    return this.leader;
  }

  /** Calls `listener` with every change of leadership (and once now). */
  onLeadership(listener: (leader: boolean) => void): () => void {
    this.leadershipListeners.add(listener);
    listener(this.leader);
    return () => this.leadershipListeners.delete(listener);
  }

  /**
   * Before the member's identity is made: the group's CA from etcd, or
   * `mine` put there if etcd has none yet. Undefined when etcd does not
   * answer and this member `hasOne` already (it starts with it); throws if
   * it has none.
   */
  async shareAuthority(mine: () => AuthorityFiles, hasOne: boolean): Promise<AuthorityFiles | undefined> {
    try {
      const stored = await this.etcd.putIfAbsent(this.sequencer.layout.authority, encodeJson(mine()));
      return JSON.parse(stored.toString('utf8')) as AuthorityFiles;
    } catch (err) {
      if (hasOne) {
        this.options.logger.warn({ err: errorMessage(err) }, 'etcd is not reachable: starting with the CA this member has');
        return undefined;
      }
      throw new UnavailableError(`core group member ${this.member}: cannot read the CA from etcd (${this.etcd.endpoints.join(', ')}): ${errorMessage(err)}; is etcd running and reachable?`, { cause: err });
    }
  }

  /** Join-token claims, shared by the members: the first claim anywhere wins (a token is used once in the whole core). */
  get tokenClaims(): { claimOnce(key: string, value: string): Promise<string>; put(key: string, value: string): Promise<void> } {
    const at = (key: string): string => `${this.sequencer.layout.prefix}tokens/${key}`;
    return {
      claimOnce: async (key, value) => (await this.etcd.putIfAbsent(at(key), Buffer.from(value, 'utf8'))).toString('utf8'),
      put: async (key, value) => {
        await this.etcd.put(at(key), Buffer.from(value, 'utf8'));
      },
    };
  }

  /** The mirror in sync and following etcd; then campaigns for leadership. */
  async start(store: Store): Promise<void> {
    await this.sequencer.start(store);
    this.campaignNow();
    this.trimTimer = this.options.clock.setInterval(() => {
      if (this.leader) void trimSharedLogs(this.etcd, this.sequencer.layout, this.options.keepChanges).catch((err: unknown) => this.options.logger.warn({ err: errorMessage(err) }, 'could not trim the change logs in etcd; will retry'));
    }, this.options.trimIntervalMs).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.trimTimer?.cancel();
    await this.campaign?.resign();
    this.setLeader(false);
    await this.sequencer.stop();
    this.etcd.close();
  }

  private campaignNow(): void {
    if (this.stopped) return;
    this.campaign = this.etcd.campaign(this.sequencer.layout.election, this.member, LEADER_LEASE_S, {
      elected: () => {
        this.options.logger.info({ member: this.member }, 'elected leader of the core group (health checks, log trimming)');
        this.setLeader(true);
      },
      lost: (err) => {
        if (this.leader) this.options.logger.warn({ member: this.member, err: err.message }, 'no longer the core group leader');
        this.setLeader(false);
        void this.campaign?.resign();
        this.options.clock.setTimeout(() => this.campaignNow(), CAMPAIGN_RETRY_MS).unref();
      },
    });
  }

  private setLeader(leader: boolean): void {
    if (this.leader === leader) return;
    this.leader = leader;
    for (const listener of this.leadershipListeners) listener(leader);
  }
}
