// The uplink of one node: a link to a parent (mutual TLS, the Hello
// exchange), what the parent tells this node (its listeners, the
// federation, this node's ancestors and zone), and whether a primary parent
// is ready to move back to. Which parent to use, failover and backoff are
// ParentLink's; flows are the session policy's.

import type { Clock } from '../../kernel/clock';
import { formatHostPort } from '../../kernel/host-port';
import type { Logger } from '../../kernel/log';
import type { Store } from '../../store';
import type { WriteRequest__Output } from '../grpc/generated/strata/v1/WriteRequest';
import type { WriteResult } from '../grpc/generated/strata/v1/WriteResult';
import { CLIENT_CHANNEL_OPTIONS, type ClientTls, strataProto } from '../grpc/grpc-adapter';
import { LinkSession, type HelloInfo, type LinkTiming, type PeerView, type SessionPolicy } from './link-session';
import { GrpcLinkStream, type GrpcDuplex, type LinkStream } from './link-stream';
import type { LinkTransport, ParentState } from './link-transport';
import type { Origins } from './origins';
import type { ParentAddresses } from '../ports/parent-addresses';
import type { ParentRef } from './parent-ref';
import type { ZoneKeeper } from '../../naming';

export const FEDERATION_STATE = 'federation';
export const ANCESTORS_STATE = 'ancestors';

export interface UplinkDeps {
  self(): string;
  tier(): string;
  primaryParent(): string | undefined;
  /** Every configured parent, primary first. */
  parents(): readonly ParentRef[];
  store(): Store;
  origins(): Origins;
  policy(): SessionPolicy;
  serve(request: WriteRequest__Output, session: LinkSession): Promise<WriteResult>;
  hello(): HelloInfo;
  federation(): { domain: string; baseDn: string } | undefined;
  zoneKeeper(): ZoneKeeper | undefined;
  parentAddresses: ParentAddresses;
  link(): LinkTiming & { heartbeatMs: number };
  /** How to reach a parent (this node's certificate). */
  clientTls(): ClientTls;
  /** Another way to open links than gRPC (the in-process simulation). */
  transport(): LinkTransport | undefined;
  /** Over gRPC (no transport given): what a parent says of itself (NodeStatusService), to tell whether the primary is ready. */
  probe(parent: ParentRef): Promise<ParentState>;
  clock(): Clock;
  logger(): Logger;
  stopping(): boolean;
}

export class Uplink {
  private connecting: LinkSession | undefined;

  constructor(private readonly d: UplinkDeps) {}

  /** Closes a link still being set up (the node is stopping). */
  stop(): void {
    this.connecting?.close('node stopping');
  }

  private grpcStream(parent: ParentRef): LinkStream {
    const address = formatHostPort(parent.address);
    const client = new (strataProto().LinkService)(address, this.d.clientTls().credentials(parent.name), { ...CLIENT_CHANNEL_OPTIONS, 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
    const call = client.Link();
    const stream = new GrpcLinkStream(call as unknown as GrpcDuplex, `parent ${parent.name} at ${address}`);
    stream.onEnd(() => client.close());
    return stream;
  }

  connect(parent: ParentRef, helloTimeoutMs: number): Promise<LinkSession | undefined> {
    if (this.d.stopping()) return Promise.resolve(undefined);
    const stream = this.d.transport()?.dial(parent, this.d.self()) ?? this.grpcStream(parent);
    return new Promise((resolve) => {
      const timer = this.d.clock().setTimeout(() => {
        session.close(`no hello from parent ${parent.name} within ${helloTimeoutMs} ms`);
        resolve(undefined);
      }, helloTimeoutMs);
      const session: LinkSession = new LinkSession(stream, {
        store: this.d.store(),
        policy: this.d.policy(),
        handlers: {
        hello: (s) => {
          timer.cancel();
          void this.learnFromParent(s.peer!, parent).catch((err: unknown) => this.d.logger().warn({ err }, 'could not record what the parent said'));
          void this.learnOtherParents(parent);
          resolve(s);
        },
        peerUpdated: (s) => void this.learnFromParent(s.peer!, parent).catch((err: unknown) => this.d.logger().warn({ err }, 'could not record what the parent said')),
        status: () => undefined,
        write: (s, request) => this.d.serve(request, s),
        ended: () => {
          timer.cancel();
          resolve(undefined);
        },
        },
        local: () => this.d.hello(),
        timing: this.d.link(),
        clock: this.d.clock(),
        logger: this.d.logger(),
        peerLabel: `parent ${parent.name}`,
      });
      this.connecting = session;
      session.onEnded(() => {
        if (this.connecting === session) this.connecting = undefined;
      });
      session.start();
    });
  }

  private async learnFromParent(peer: PeerView, parent: ParentRef): Promise<void> {
    // The federation first: the directory answers nothing until it knows its base DN.
    if (peer.federationDomain && this.d.tier() !== 'core') {
      const known = this.d.federation();
      if (known?.domain !== peer.federationDomain || known?.baseDn !== peer.baseDn) {
        await this.d.store().putState(FEDERATION_STATE, { domain: peer.federationDomain, baseDn: peer.baseDn });
      }
    }
    await this.d.parentAddresses.remember('dns', parent.name, peer.dnsAddress);
    await this.d.parentAddresses.remember('ntp', parent.name, peer.ntpAddress);
    await this.d.parentAddresses.remember('ldap', parent.name, peer.ldapAddress);
    if (parent.name === this.d.primaryParent() && peer.zone) await this.d.zoneKeeper()?.learnParentZone(peer.zone);
    await this.d.store().putState(ANCESTORS_STATE, [...peer.ancestors]);
  }

  /**
   * The listeners of the other parents, asked of them (their node status) once linked to one, if
   * not known yet: the time client polls every parent at once, not only the one linked to.
   */
  private async learnOtherParents(linked: ParentRef): Promise<void> {
    if (this.d.transport()) return; // the in-process simulation: no listeners to learn
    for (const parent of this.d.parents()) {
      if (parent.name === linked.name || this.d.parentAddresses.known('ntp')[parent.name] || this.d.stopping()) continue;
      try {
        const state = await this.d.probe(parent);
        for (const service of ['dns', 'ntp', 'ldap'] as const) {
          const address = state.services?.find((s) => s.name === service)?.address;
          if (address) await this.d.parentAddresses.remember(service, parent.name, address);
        }
      } catch (err) {
        this.d.logger().debug({ parent: parent.name, err }, 'could not ask a fallback parent for its listeners; will ask at the next link');
      }
    }
  }

  async primaryReady(primary: ParentRef): Promise<boolean> {
    const transport = this.d.transport();
    const status = transport ? await transport.probe(primary) : await this.d.probe(primary);
    if (!status.upstreamConnected) return false;
    const theirs = new Map(status.datasets.map((d) => [d.name, d]));
    for (const mine of this.d.store().datasets()) {
      if (mine.role !== 'replica' || this.d.origins().of(mine.name) !== 'down') continue;
      const held = theirs.get(mine.name);
      if (held && (held.epoch !== mine.epoch || held.seq < mine.seq)) return false;
    }
    return true;
  }
}
