// The composition root of one node: config → components, started in
// dependency order (data-dir lock, store, gRPC, ops HTTP) and stopped in
// exact reverse. It wires things together and holds no protocol logic.

import type { Clock } from '../kernel/clock';
import { Lifecycle, component } from '../kernel/lifecycle';
import { formatHostPort, type HostPort } from '../kernel/host-port';
import type { Logger } from '../kernel/log';
import { Metrics } from '../kernel/metrics';
import { clientTlsOf, GrpcServer, PROTOCOL_PACKAGE, type NodeIdentity } from '../federation/grpc/grpc-adapter';
import { addResolverService } from '../federation/api/resolver-service';
import { addStatusService, type NodeStatus } from '../federation/api/status-service';
import { Federation } from '../federation/federation';
import { Naming } from '../naming/naming';
import { Directory } from '../directory/directory';
import { directoryIndexer } from '../directory/data/indexes';
import { addDirectoryService } from '../federation/api/directory-service';
import { addBackupService } from '../federation/api/backup-service';
import { backupArchive, finishRestore } from './backup';
import { directoryConfig, namingConfig, timeConfig } from './service-configs';
import { Timekeeping, type TimeStatus } from '../time/timekeeping';
import { Store } from '../store';
import type { NodeConfig } from './config';
import { DataDirLock } from './data-dir-lock';
import { keepPrivate } from './private-files';
import { OpsHttpServer } from './ops-http';
import { certificateHosts, ldapsCredentials } from './tls-files';
import { coreIdentity, ensureAuthority, shareCoreAuthority, loadIdentity, pendingKey, pendingRenewalKey, readJoinTokenFile, saveIdentity } from './identity';
import { coreAuthority } from './authority';
import { CertificateRenewer } from './renewer';
import { NODE_CERT_DAYS } from '../federation/enrolment/enrolment-service';
import { signCsr } from '../kernel/x509';
import { signTicket } from '../federation/enrolment/bind-ticket';
import { addEnrolmentService, type Authority } from '../federation/enrolment/enrolment-service';
import { guardCalls } from './call-guards';
import { enrol } from '../federation/client/enrolment-client';
import { ApiClient } from '../federation/client/api-client';
import type { JoinResponse } from '../federation/grpc/generated/strata/v1/JoinResponse';
import { ConfigError, UnavailableError } from '../kernel/errors';
import { strataVersion } from './version';
import { writeStageTimer, type TimedStage } from '../federation/writes/write-stages';
import { existsSync, rmSync } from 'node:fs';
import { CoreGroup } from '../core-group/core-group';
import path from 'node:path';

export interface NodeDeps {
  clock: Clock;
  logger: Logger;
  /** Process-level metrics (CPU, memory) only when this node owns the process. */
  processMetrics?: boolean;
}

const GRPC_GRACE_MS = 2000;
/** One node-state key per used join token (never a shared map rewritten by concurrent joins). */

export class StrataNode {
  readonly metrics: Metrics;
  private readonly lifecycle: Lifecycle;
  private readonly lock: DataDirLock;
  private readonly grpc = new GrpcServer();
  private readonly ops: OpsHttpServer;
  private storeInstance: Store | undefined;
  private readonly bound = new Map<string, HostPort>();
  private startedAtMs = 0;
  private isReady = false;
  readonly federation: Federation;
  private readonly timedWrite: TimedStage;
  /** A member of a highly available core group (config.core): the core's state is in etcd. */
  readonly coreGroup: CoreGroup | undefined;

  constructor(readonly config: NodeConfig, private readonly deps: NodeDeps) {
    this.metrics = new Metrics({ node: config.name }, deps.processMetrics ?? false);
    this.lock = new DataDirLock(config.dataDir);
    this.ops = new OpsHttpServer(this, this.metrics);
    this.timedWrite = writeStageTimer(this.metrics);
    guardCalls(this.grpc, () => this.identity, () => this.federation.trust.pki, deps.clock, this.timedWrite);
    const now = (): number => deps.clock.nowMs();
    addStatusService(this.grpc, this);
    addResolverService(this.grpc, { nodeName: config.name, resolve: (name, type) => this.naming?.resolve(name, type) });
    addDirectoryService(this.grpc, config.name, () => this.directory, (dn, bearer) => {
      const identity = this.identity;
      return identity?.keyPem && identity.certPem ? signTicket({ keyPem: identity.keyPem, certPem: identity.certPem }, dn, bearer, now()) : undefined;
    });
    addBackupService(this.grpc, {
      clock: deps.clock, logger: deps.logger, tls: () => this.identity, pki: () => this.federation.trust.pki,
      archive: (who) => backupArchive({ dataDir: config.dataDir, store: this.store, node: config.name, tier: config.tier, clock: deps.clock, logger: deps.logger }, who),
    });
    addEnrolmentService(this.grpc, {
      nodeName: config.name,
      clock: deps.clock,
      caPem: () => this.identity?.caPem,
      authority: () => this.authority(),
      forward: (request) => this.forwardJoin(request),
      forwardRenew: (request) => this.toParent<JoinResponse>('Renew', request),
      pki: () => this.federation.trust.pki,
    });
    this.federation = new Federation(
      {
        name: config.name,
        tier: config.tier,
        parents: config.parents,
        federation: config.federation,
        link: config.link,
        tls: () => this.identity,
        grpcAddress: () => this.listenAddresses().grpc ?? formatHostPort(config.listen.grpc),
        dns: { zoneOverride: config.dns.zone, address: () => this.dnsAdvertised() },
        ntp: { address: () => this.listenAddresses().ntp, clock: () => this.time?.status() },
        ldap: { address: () => this.listenAddresses().ldap },
        startedAtMs: () => this.startedAtMs,
        timedWrite: this.timedWrite,
        coreGroupMember: config.core !== undefined,
      },
      this.grpc,
      deps.clock,
      deps.logger,
    );
    const { compaction } = config.store;
    const group = (this.coreGroup = config.core && new CoreGroup({ settings: config.core, clock: deps.clock, logger: deps.logger, writeTimeoutMs: config.link.writeTimeoutMs, keepChanges: compaction.keepChanges, trimIntervalMs: compaction.intervalMs, metrics: this.metrics, timed: this.timedWrite }));
    this.lifecycle = new Lifecycle(deps.logger)
      .add(component('data-dir lock', async () => this.lock.acquire(), async () => this.lock.release()))
      .add(component('core group CA', async () => group && shareCoreAuthority(config.dataDir, group, deps.clock), async () => undefined))
      .add(component('store', () => this.openStore(), () => this.closeStore()))
      .add(component('core group', async () => group?.start(this.store), async () => group?.stop()))
      .add(component('private data dir', async () => void keepPrivate(this.config.dataDir), async () => undefined))
      .add(component('identity', () => this.ensureIdentity(), async () => undefined))
      .add(component('grpc', () => this.startGrpc(), () => this.grpc.stop(GRPC_GRACE_MS, (ms) => this.deps.clock.sleep(ms))))
      .add(component('naming', () => this.startNaming(), async () => this.naming?.stop()))
      .add(component('time', () => this.startTime(), async () => this.time?.stop()))
      .add(component('directory', () => this.startDirectory(), async () => this.directory?.stop()))
      .add(component('federation', () => this.federation.start(this.store), () => this.federation.stop()))
      .add(component('certificate renewal', async () => this.startRenewal(), async () => this.renewer?.stop()))
      .add(component('http', () => this.startHttp(), () => this.ops.close()));
  }

  async start(): Promise<void> {
    this.startedAtMs = this.deps.clock.nowMs();
    await this.lifecycle.start();
    this.grpc.setServing('SERVING');
    this.isReady = true;
    this.deps.logger.info({ tier: this.config.tier, listen: this.listenAddresses() }, 'node started');
  }

  async stop(): Promise<void> {
    this.isReady = false;
    this.stopping = true;
    await this.lifecycle.stop();
    this.deps.logger.info('node stopped');
  }

  get store(): Store {
    if (!this.storeInstance) throw new Error(`node ${this.config.name} is not started`);
    return this.storeInstance;
  }

  ready(): boolean {
    return this.isReady;
  }

  topology(): { nowMs: number; nodes: ReturnType<Federation['reports']> } {
    return { nowMs: this.deps.clock.nowMs(), nodes: this.isReady ? this.federation.reports() : [] };
  }

  /** host:port of every listener that is serving, by service name. */
  listenAddresses(): Record<string, string> {
    return Object.fromEntries([...this.bound].map(([name, address]) => [name, formatHostPort(address)]));
  }

  nodeStatus(): NodeStatus {
    const datasets = this.storeInstance?.datasets() ?? [];
    return {
      name: this.config.name,
      tier: this.config.tier,
      parents: this.config.parents.map((p) => ({ name: p.name, address: formatHostPort(p.address) })),
      uptimeMs: Math.max(0, this.deps.clock.nowMs() - this.startedAtMs),
      startedAtMs: this.startedAtMs,
      pid: process.pid,
      versions: { strata: strataVersion(), node: process.version, protocol: PROTOCOL_PACKAGE },
      services: [...this.bound].map(([name, address]) => ({ name, address: formatHostPort(address) })),
      datasets: datasets.map((d) => ({
        name: d.name,
        owner: d.owner,
        role: d.role,
        epoch: d.epoch,
        seq: d.seq,
        firstSeq: d.firstSeq,
        entries: d.entries,
        updatedMs: d.updatedMs,
      })),
      federationDomain: this.federation.federation()?.domain ?? '',
      baseDn: this.federation.federation()?.baseDn ?? '',
      currentParent: this.federation.currentParent(),
      upstreamConnected: this.federation.upstreamConnected(),
      time: this.time?.status(),
    };
  }

  private async openStore(): Promise<void> {
    const { keepChanges, keepMs, intervalMs } = this.config.store.compaction;
    this.storeInstance = await Store.open({
      dir: path.join(this.config.dataDir, 'store'),
      nodeName: this.config.name,
      clock: this.deps.clock,
      logger: this.deps.logger,
      compaction: { keepChanges, keepMs },
      indexer: directoryIndexer(this.config.directory.indexes),
      sequencer: this.coreGroup?.sequencer,
      timedWrite: (commitMs, durableMs) => {
        this.timedWrite('commit', commitMs);
        this.timedWrite('durable', durableMs);
      },
    });
    await finishRestore(path.join(this.config.dataDir, 'store'), this.storeInstance, this.deps.logger);
    this.storeInstance.startCompaction(intervalMs);
    this.federation.trust.storeOpened(this.storeInstance);
  }

  private async closeStore(): Promise<void> {
    await this.storeInstance?.close();
    this.storeInstance = undefined;
  }

  private identity: NodeIdentity | undefined;
  private authorityCache: Authority | undefined;
  private stopping = false;
  private wakeStopping: () => void = () => undefined;
  private readonly stopRequested = new Promise<void>((resolve) => (this.wakeStopping = resolve));

  /** Make a start that is still waiting (to enrol) give up; start() then rejects after stopping what it started. */
  abortStart(): void {
    this.stopping = true;
    this.wakeStopping();
  }

  /**
   * The node's TLS identity before anything listens (DESIGN §7): the core
   * makes its CA and signs its own certificate; another node uses the one it
   * enrolled for, or enrols now with its join token, retrying while no parent
   * answers (a new node has nothing to serve before it has joined).
   */
  private async ensureIdentity(): Promise<void> {
    const { security, dataDir, name } = this.config;
    if (security.mode === 'plaintext') return;
    const hosts = certificateHosts(this.config.listen.grpc.host, name, { names: security.certificateNames });
    if (this.config.tier === 'core') this.identity = coreIdentity(dataDir, name, hosts, this.deps.clock);
    else this.identity = loadIdentity(dataDir) ?? (await this.enrol(hosts));
  }

  private async enrol(hosts: string[]): Promise<NodeIdentity> {
    const { security, dataDir, name, parents } = this.config;
    const token = security.joinToken ?? readJoinTokenFile(security.joinTokenFile);
    if (!token) {
      throw new ConfigError('security.joinTokenFile', `node ${name} has no certificate in ${path.join(dataDir, 'tls')} yet; give it a join token made on the core with \`strata join-token ${name} --core-data-dir <the core's dataDir>\` (in a 0600 file named by security.joinTokenFile)`);
    }
    for (let waitMs = 1000; ; waitMs = Math.min(waitMs * 2, 10_000)) {
      try {
        const identity = await enrol(name, this.config.tier, token, parents, hosts, this.deps.clock, undefined, pendingKey(dataDir));
        saveIdentity(dataDir, identity);
        this.deps.logger.info({ parents: parents.map((p) => p.name) }, 'enrolled: certificate issued by the federation CA');
        // A used token is of no more use to anyone: do not leave it lying about.
        if (security.joinTokenFile) rmSync(security.joinTokenFile, { force: true });
        if (security.joinToken) this.deps.logger.warn('enrolled: remove security.joinToken from the config file, it is used and no longer needed');
        return identity;
      } catch (err) {
        if (!(err instanceof UnavailableError) || this.stopping) throw err;
        this.deps.logger.warn({ err: err.message }, `waiting to enrol; trying again in ${waitMs} ms`);
        await Promise.race([this.deps.clock.sleep(waitMs), this.stopRequested]);
        if (this.stopping) throw new UnavailableError(`node ${name} stopped before it could enrol`);
      }
    }
  }

  /** The core's CA, join secret, used tokens and certificate registry (authority.ts). */
  private authority(): Authority | undefined {
    if (this.config.tier !== 'core' || this.config.security.mode === 'plaintext') return undefined;
    this.authorityCache ??= coreAuthority(this.config.dataDir, () => this.store, this.federation.trust.pki, this.deps.clock, this.coreGroup?.tokenClaims);
    return this.authorityCache;
  }

  private forwardJoin(request: { token: string; csrPem: string; hops: number }): Promise<JoinResponse> {
    return this.toParent<JoinResponse>('Join', request);
  }

  /** An EnrolmentService call passed to the current parent (else the first configured). */
  private toParent<T>(method: 'Join' | 'Renew', request: unknown): Promise<T> {
    const current = this.federation.currentParent();
    const parent = this.config.parents.find((p) => p.name === current) ?? this.config.parents[0];
    if (!parent) throw new UnavailableError(`node ${this.config.name} has no parent to pass the ${method.toLowerCase()} to`);
    return new ApiClient(formatHostPort(parent.address), this.deps.clock, () => this.clientTls().credentials(parent.name)).unary<T>('EnrolmentService', method, request);
  }

  private readonly clientTls = clientTlsOf(() => this.identity);
  private renewer: CertificateRenewer | undefined;

  private startRenewal(): void {
    if (this.config.security.mode === 'plaintext') return;
    const { dataDir, name, tier } = this.config;
    const clock = this.deps.clock;
    this.renewer = new CertificateRenewer({
      name,
      hosts: certificateHosts(this.config.listen.grpc.host, name, { names: this.config.security.certificateNames }),
      mustName: this.config.security.certificateNames,
      renewBeforeMs: this.config.security.renewBeforeDays * 24 * 60 * 60 * 1000,
      clock,
      logger: this.deps.logger,
      current: () => this.identity,
      newKey: () => pendingRenewalKey(dataDir),
      unfinished: () => existsSync(path.join(dataDir, 'tls', 'renew.key')),
      // The core signs its own; every other node asks the core, through its parent.
      ask: async (request) => (tier === 'core' ? { certPem: signCsr(ensureAuthority(dataDir, clock).ca, request.csrPem, clock.nowMs(), NODE_CERT_DAYS, 'core', []) } : this.toParent<{ certPem: string }>('Renew', { ...request, hops: 0 })),
      install: async (identity) => {
        saveIdentity(dataDir, identity);
        this.identity = identity;
        this.grpc.updateIdentity(identity);
      },
    });
    this.renewer.start();
  }

  private async startGrpc(): Promise<void> {
    this.bindPort('grpc', await this.grpc.listen(this.config.listen.grpc, this.identity));
  }

  private naming: Naming | undefined;

  private async startNaming(): Promise<void> {
    const { clock, logger } = this.deps;
    this.naming = new Naming(namingConfig(this.config), this.store, this.federation.namingPorts(), clock, logger, this.metrics);
    this.bindPort('dns', await this.naming.start());
    this.coreGroup?.onLeadership((leader) => this.naming?.healthChecks(leader));
  }

  private time: Timekeeping | undefined;

  private async startTime(): Promise<void> {
    const { clock, logger } = this.deps;
    this.time = new Timekeeping(timeConfig(this.config), this.federation.timePorts(), clock, logger, this.metrics);
    this.bindPort('ntp', await this.time.start());
  }

  private directory: Directory | undefined;

  private async startDirectory(): Promise<void> {
    const { clock, logger } = this.deps;
    const tls = ldapsCredentials(this.config.dataDir, this.config.name, this.config.listen.ldaps, this.config.directory.tls, clock, this.config.security.certificateNames);
    const directory = (this.directory = new Directory(directoryConfig(this.config, tls), this.store, this.federation.directoryPorts(), clock, logger, this.metrics));
    this.federation.trust.checkDirectoryChanges((dn, dataset, mutations) => directory.checkForwarded(dn, dataset, mutations));
    const ports = await directory.start();
    this.bindPort('ldap', ports.ldap);
    if (ports.ldaps !== undefined) this.bindPort('ldaps', ports.ldaps);
  }

  /** A listener is serving: on its configured host, at the port it got. */
  private bindPort(service: 'grpc' | 'dns' | 'ntp' | 'ldap' | 'ldaps' | 'http', port: number): void {
    this.bound.set(service, { host: this.config.listen[service].host, port });
  }

  /** Time as this node serves it (undefined before the NTP component started). */
  timeStatus(): TimeStatus | undefined {
    return this.time?.status();
  }

  /** The DNS address other nodes and glue records use. */
  private dnsAdvertised(): string | undefined {
    const bound = this.bound.get('dns');
    if (!bound) return undefined;
    const host = this.config.dns.advertise ?? (['0.0.0.0', '::'].includes(bound.host) ? '127.0.0.1' : bound.host);
    return formatHostPort({ host, port: bound.port });
  }

  private async startHttp(): Promise<void> {
    this.bindPort('http', await this.ops.listen(this.config.listen.http));
  }
}
