// Federation for one node: accepts child links (LinkService), keeps the
// uplink to a parent with failover (ParentLink), decides what flows which way
// (the session policies below), routes writes to owners, and reports status
// up the tree. Storage is the store's; protocols above it are not known here.

import { isoTime, type Clock, type Timer } from '../kernel/clock';
import { formatHostPort, type HostPort } from '../kernel/host-port';
import type { Logger } from '../kernel/log';
import type { Store } from '../store';
import type { LinkServiceHandlers } from './grpc/generated/strata/v1/LinkService';
import type { NodeReport } from './grpc/generated/strata/v1/NodeReport';
import { clientTlsOf, peerCertificate, strataProto, type GrpcServer, type TlsIdentity } from './grpc/grpc-adapter';
import { PROTOCOL_VERSION, type HelloInfo, type LinkSession } from './link/link-session';
import { ChildLinks, DEFAULT_ADMIT_AT_ONCE } from './link/child-links';
import { fetchNodeStatus } from './client/status-client';
import { GrpcLinkStream, type GrpcDuplex, type LinkStream } from './link/link-stream';
import type { LinkTransport } from './link/link-transport';
import { Origins } from './link/origins';
import { ParentLink } from './link/parent-link';
import type { ParentRef } from './link/parent-ref';
import { addDatasetService } from './api/dataset-service';
import { addRecordService } from './api/records-service';
import { addRegistryService } from './api/registry-service';
import { addSettingsService, SETTINGS_DATASET } from './api/settings-service';
import { addTopologyService } from './api/topology-service';
import { ReportDelta } from './link/reports/report-delta';
import { TopologyView } from './link/reports/topology-view';
import { WriteRouter } from './writes/write-router';
import { childIdentity, type ChildIdentity } from './enrolment/child-identity';
import { PKI_DATASET } from './enrolment/pki';
import { FederationTrust } from './enrolment/federation-trust';
import { ANCESTORS_STATE, FEDERATION_STATE, Uplink } from './link/uplink';
import { canonical, servicesDataset, ZoneKeeper } from '../naming';
import { ParentAddresses } from './ports/parent-addresses';
import { selfReport } from './link/reports/self-report';
import type { NamingPorts } from '../naming/ports';
import type { TimePorts } from '../time/ports';
import { credentialFacts, type DirectoryPorts } from '../directory';
import { directoryPorts } from './ports/directory-ports';
import { childPolicy, parentPolicy, type PolicyFacts } from './link/session-policies';
import { Refusals } from './link/refusals';
import { timePorts } from './ports/time-ports';
import { namingPorts } from './ports/naming-ports';
import type { TimedStage } from './writes/write-stages';

export interface LinkSettings {
  heartbeatMs: number;
  missedHeartbeats: number;
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  primaryProbeMs: number;
  writeTimeoutMs: number;
  /** The link protocol to speak (default PROTOCOL_VERSION); an older one during a fleet's upgrade. */
  protocolVersion?: number;
  /** Children catching up at once at most (DEFAULT_ADMIT_AT_ONCE, 64); the others are refused as busy and retry. */
  admitAtOnce?: number;
}

export interface FederationOptions {
  name: string;
  /** Naming: a zone set in config, and this node's DNS listener as others reach it. */
  dns: { zoneOverride: string | undefined; address(): string | undefined };
  /** This node's NTP listener as children reach it, and its clock as reported up the tree. */
  ntp: { address(): string | undefined; clock(): { synchronized: boolean; stratum: number; offsetS: number; rootDispersionS: number } | undefined };
  /** This node's LDAP listener as children reach it (for referrals). */
  ldap: { address(): string | undefined };
  tier: string;
  parents: readonly ParentRef[];
  /** Only the core has it from config; others learn it from their parent. */
  federation: { domain: string; baseDn: string } | undefined;
  link: LinkSettings;
  /** This node's TLS identity (CA, key, certificate); undefined in plaintext mode. */
  tls(): TlsIdentity | undefined;
  grpcAddress(): string;
  startedAtMs(): number;
  /** Hears the time of the write stages the federation sees (forward, visible). */
  timedWrite?: TimedStage;
  /** One member of a highly available core group: other branches may be linked to the other members. */
  coreGroupMember?: boolean;
  /** Links over this instead of gRPC (the in-process scale simulation). */
  transport?: LinkTransport;
}

export class Federation {
  private storeRef: Store | undefined;
  private origins: Origins | undefined;
  private readonly reportDelta = new ReportDelta();
  private readonly stopListening: (() => void) | undefined;
  private readonly children: ChildLinks<ChildIdentity>;

  private readonly view = new TopologyView();
  private parentLink: ParentLink | undefined;
  private statusTimer: Timer | undefined;
  readonly router: () => WriteRouter;
  private routerInstance: WriteRouter | undefined;
  private zoneKeeper: ZoneKeeper | undefined;
  private stopping = false;
  private unsubscribePki: (() => void) | undefined;
  private readonly parentAddresses = new ParentAddresses(() => this.storeRef);
  /** The link to a parent: connecting, and what the parent tells this node (uplink.ts). */
  /** How this node reaches others: with its own certificate once it has one (plaintext in plaintext mode). */
  private readonly clientTls = clientTlsOf(() => this.options.tls());
  private readonly uplink = new Uplink({
    self: () => this.options.name,
    tier: () => this.options.tier,
    primaryParent: () => this.options.parents[0]?.name,
    parents: () => this.options.parents,
    store: () => this.store,
    origins: () => this.origins!,
    policy: () => this.parentPolicy,
    serve: (request, session) => this.router().serve(request, session),
    hello: () => this.hello('parent'),
    federation: () => this.federation(),
    zoneKeeper: () => this.zoneKeeper,
    parentAddresses: this.parentAddresses,
    link: () => this.options.link,
    clientTls: () => this.clientTls(),
    transport: () => this.options.transport,
    probe: (parent) => fetchNodeStatus(formatHostPort(parent.address), this.clock, this.clientTls(), this.options.link.heartbeatMs, parent.name),
    clock: () => this.clock,
    logger: () => this.logger,
    stopping: () => this.stopping,
  });

  /** Registry, child admission and the owner's authorisation of forwarded writes (federation-trust.ts). */
  readonly trust: FederationTrust;

  constructor(private readonly options: FederationOptions, server: GrpcServer, private readonly clock: Clock, private readonly logger: Logger) {
    this.refusals = new Refusals((peer) => {
      const parent = this.parentLink?.current?.session;
      return parent?.peer === peer ? parent : this.children.get(peer.name);
    }, clock, logger);
    this.children = new ChildLinks({
      self: this.options.name,
      store: () => this.storeRef,
      policy: childPolicy(this.policyFacts),
      admission: () => this.trust.admission,
      serve: (request, session) => this.router().serve(request, session),
      delegate: (session) => this.delegateTo(session),
      hello: () => this.hello('child'),
      protocolVersion: this.options.link.protocolVersion ?? PROTOCOL_VERSION,
      view: this.view,
      link: this.options.link,
      admitAtOnce: this.options.link.admitAtOnce ?? DEFAULT_ADMIT_AT_ONCE,
      clock: this.clock,
      logger: this.logger,
    });
    this.trust = new FederationTrust({
      name: options.name, tier: options.tier, tls: () => options.tls(), startedStore: () => this.storeRef, federation: () => this.federation(),
      ancestors: () => this.ancestors(), children: this.children, parentSession: () => this.parentLink?.current?.session,
      credentials: () => this.policyFacts.credentials, invoke: (method, request) => server.invoke(method, request), clock, logger,
    });
    this.router = () => {
      if (!this.routerInstance) throw new Error('federation is not started');
      return this.routerInstance;
    };
    const accept = (stream: LinkStream, identity: ChildIdentity | null | undefined): void => {
      if (identity === null) stream.close(`link refused: present a node certificate issued by this federation's CA (enrol with a join token)`);
      else this.children.accept(stream, identity);
    };
    const handlers: LinkServiceHandlers = {
      Link: (call) => accept(new GrpcLinkStream(call as unknown as GrpcDuplex, `child at ${call.getPeer()}`), childIdentity(peerCertificate(call), this.options.tls(), this.clock.nowMs())),
    };
    this.stopListening = options.transport?.listen(options.grpcAddress(), accept);
    server.addService(strataProto().LinkService.service, handlers);
    addSettingsService(server, { store: () => this.store, router: this.router, nodeName: options.name, writeTimeoutMs: options.link.writeTimeoutMs });
    addDatasetService(server, () => this.store, clock);
    addRecordService(server, { store: () => this.store, router: this.router, ownZone: () => this.zoneKeeper?.ownZone(), writeTimeoutMs: options.link.writeTimeoutMs });
    addRegistryService(server, { store: () => this.store, router: this.router, nodeName: options.name, writeTimeoutMs: options.link.writeTimeoutMs, clock });
    addTopologyService(server, { nodeName: options.name, nowMs: () => clock.nowMs(), reports: () => this.reports() });
  }

  private get store(): Store {
    if (!this.storeRef) throw new Error('federation is not started');
    return this.storeRef;
  }

  async start(store: Store): Promise<void> {
    this.storeRef = store;
    this.origins = new Origins(store);
    if (this.options.tier === 'core') {
      if (!store.dataset(SETTINGS_DATASET)) await store.createDataset(SETTINGS_DATASET);
      await store.ensureDataset(PKI_DATASET);
      await store.putState(FEDERATION_STATE, this.options.federation);
    }
    if (!store.dataset(servicesDataset(this.options.name))) await store.createDataset(servicesDataset(this.options.name));
    this.unsubscribePki = store.onChange((names) => {
      if (!names.includes(PKI_DATASET)) return;
      this.trust.admission.dropRevoked();
      for (const child of this.children.values()) this.delegateTo(child); // placements may have arrived since the child linked
    });
    this.zoneKeeper = new ZoneKeeper(store, {
      name: this.options.name,
      isCore: this.options.tier === 'core',
      zoneOverride: this.options.dns.zoneOverride,
      federationDomain: () => this.federation()?.domain,
      dnsAddress: () => this.options.dns.address(),
    }, this.logger);
    await this.zoneKeeper.ensureOwn();
    this.routerInstance = new WriteRouter(store, {
      self: this.options.name,
      isCore: this.options.tier === 'core',
      coreGroupMember: this.options.coreGroupMember === true,
      childToward: (owner) => this.children.toward(owner),
      isBelow: (owner) => this.inSubtree(owner),
      parent: () => {
        const current = this.parentLink?.current;
        return current && { name: current.parent.name, session: current.session };
      },
      parentDownText: () => this.parentDownText(),
    }, this.clock, this.trust.ownerAuthority(() => this.store), this.options.timedWrite);
    if (this.options.parents.length > 0) {
      this.parentLink = new ParentLink(this.options.parents, {
        connect: (parent, helloTimeoutMs) => this.uplink.connect(parent, helloTimeoutMs),
        primaryReady: (parent) => this.uplink.primaryReady(parent),
      }, { ...this.options.link, helloTimeoutMs: this.options.link.heartbeatMs * this.options.link.missedHeartbeats }, this.clock, this.logger);
      this.parentLink.start();
      this.statusTimer = this.clock.setInterval(() => this.reportUp(), this.options.link.heartbeatMs).unref();
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopListening?.();
    this.unsubscribePki?.();
    this.statusTimer?.cancel();
    this.uplink.stop();
    await this.parentLink?.stop();
    this.children.closeAll('node stopping');
  }

  /** Federation domain and base DN: from config at the core, from the parent elsewhere. */
  federation(): { domain: string; baseDn: string } | undefined {
    return this.options.federation ?? (this.storeRef?.getState(FEDERATION_STATE) as { domain: string; baseDn: string } | undefined);
  }

  currentParent(): string {
    return this.parentLink?.current?.parent.name ?? '';
  }

  /** Children refused as busy since start (link.admitAtOnce were catching up), and the most that caught up at once. */
  get admissions(): { deferred: number; mostJoining: number } {
    return { ...this.children.admissions };
  }

  upstreamConnected(): boolean {
    return this.options.tier === 'core' || this.parentLink?.current !== undefined;
  }

  // ---- flows

  /** This node or one below it (reported, or known by the data that came up from it): subtree().has(name) without building the set. */
  private inSubtree(name: string): boolean {
    return name === this.options.name || this.view.has(name) || (this.origins?.descendants().has(name) ?? false);
  }

  private subtree(): Set<string> {
    const names = new Set([this.options.name, ...this.view.names()]);
    for (const owner of this.origins?.descendants() ?? []) names.add(owner);
    return names;
  }

  private readonly policyFacts: PolicyFacts = {
    self: () => this.options.name,
    store: () => this.store,
    origins: () => this.origins!,
    ancestors: () => this.ancestors(),
    inSubtree: (name) => this.inSubtree(name),
    child: (name) => this.children.get(name),
    credentials: credentialFacts((dataset, key) => (this.store.dataset(dataset) ? this.store.get(dataset, key) : undefined), () => this.federation()?.baseDn),
    federation: () => this.federation(),
    pki: () => this.trust.placements(),
    placedZone: (node) => {
      const zone = this.trust.placedZone(node);
      return zone === undefined ? undefined : `${zone}.`;
    },
    refused: (peer, dataset, owner, why, spokenForBy) => this.refusals.refused(peer, dataset, owner, why, spokenForBy),
  };
  private readonly refusals: Refusals;
  private readonly parentPolicy = parentPolicy(this.policyFacts);

  private ancestors(): string[] {
    return (this.storeRef?.getState(ANCESTORS_STATE) as string[] | undefined) ?? [];
  }

  private hello(toward: 'parent' | 'child'): HelloInfo {
    const federation = this.federation();
    const ancestors = this.ancestors();
    return {
      node: this.options.name,
      tier: this.options.tier,
      subtree: toward === 'parent' ? [...this.subtree()] : [],
      ancestors: toward === 'child' ? [this.options.name, ...ancestors] : [],
      federationDomain: federation?.domain ?? '',
      baseDn: federation?.baseDn ?? '',
      upstreamConnected: this.upstreamConnected(),
      zone: this.zoneKeeper?.ownZone() ?? '',
      dnsAddress: this.options.dns.address() ?? '',
      ntpAddress: this.options.ntp.address() ?? '',
      ldapAddress: this.options.ldap.address() ?? '',
      protocolVersion: this.options.link.protocolVersion ?? PROTOCOL_VERSION,
    };
  }

  // ---- child links (we are the parent)

  private delegateTo(session: LinkSession): void {
    const peer = session.peer;
    if (!peer?.zone || !peer.dnsAddress) return;
    // A child is delegated the zone its placement gives it, <name>.<its primary parent's zone>, and nothing else.
    const expected = this.trust.placedZone(peer.name);
    if (this.options.tls() && canonical(peer.zone) !== expected) {
      this.logger.warn({ child: peer.name, zone: peer.zone, expected }, 'not delegating a zone its placement does not give it');
      return;
    }
    this.zoneKeeper?.delegate(peer.zone, peer.dnsAddress).catch((err: unknown) => this.logger.warn({ err, child: peer.name }, 'could not publish the delegation for a child zone'));
  }

  // ---- the uplink (we are the child)

  private parentDownText(): string {
    if (this.options.parents.length === 0) return 'this is the core';
    const since = this.parentLink?.downSinceMs;
    const names = this.options.parents.map((p) => p.name).join(', ');
    return since === undefined ? `parents: ${names}` : `no link to a parent (${names}) since ${isoTime(since)}`;
  }

  /** This node's report first, then every node below it that it knows of. */
  reports(): NodeReport[] {
    return [this.selfReport(), ...this.view.reports()];
  }

  // ---- what naming asks of us

  timePorts(): TimePorts {
    return timePorts({ parentOrder: () => this.parentOrder(), knownParentNtp: () => this.parentAddresses.known('ntp'), configuredAddress: (name) => this.configuredAddress(name) });
  }

  directoryPorts(): DirectoryPorts {
    const { name, tier, link } = this.options;
    return directoryPorts({
      name, isCore: tier === 'core', baseDn: () => this.federation()?.baseDn, router: this.router, writeTimeoutMs: link.writeTimeoutMs,
      parentOrder: () => this.parentOrder(), knownParentLdap: () => this.parentAddresses.known('ldap'), configuredAddress: (n) => this.configuredAddress(n),
      clock: this.clock, logger: this.logger, chainTimeoutMs: link.heartbeatMs * link.missedHeartbeats, clientTls: () => this.clientTls(),
    });
  }

  namingPorts(): NamingPorts {
    return namingPorts({
      name: this.options.name, isCore: this.options.tier === 'core', federationDomain: () => this.federation()?.domain, ownZone: () => this.zoneKeeper?.ownZone(),
      parentOrder: () => this.parentOrder(), knownParentDns: () => this.parentAddresses.known('dns'),
      reportedParents: () => new Map(this.view.reports().map((r) => [r.name ?? '', r.parent ?? ''])), descendants: () => this.origins?.descendants() ?? new Set(),
    });
  }

  /** Parent names, the current one first, then the configured order. */
  private parentOrder(): string[] {
    const current = this.currentParent();
    return [current, ...this.options.parents.map((p) => p.name).filter((n) => n !== current)].filter(Boolean);
  }

  private configuredAddress(name: string): HostPort | undefined {
    return this.options.parents.find((p) => p.name === name)?.address;
  }

  // ---- status

  private selfReport(): NodeReport {
    return selfReport({
      name: this.options.name,
      tier: this.options.tier,
      parent: this.currentParent(),
      connected: this.upstreamConnected(),
      nowMs: this.clock.nowMs(),
      datasets: this.storeRef?.datasets() ?? [],
      sessions: [this.parentLink?.current?.session, ...this.children.values()],
      grpcAddress: this.options.grpcAddress(),
      startedAtMs: this.options.startedAtMs(),
      clock: this.options.ntp.clock(),
    });
  }

  private reportUp(): void {
    const current = this.parentLink?.current;
    if (!current) return;
    const reports = [this.selfReport(), ...this.view.reports()];
    // A parent speaking protocol 1 takes what is not in a report as not heard from: send it everything.
    current.session.sendStatus(current.session.peer && current.session.peer.protocolVersion < 2 ? reports : this.reportDelta.next(current.session, reports));
  }
}

