// The link's state, apart from streams and timers (link-session.ts drives
// it): the Hello exchange (protocol versions checked, the peer as it
// introduced itself), heartbeats (what the peer says later), and the
// watchdog (a peer silent for too many heartbeats is gone). Pure: messages
// and times come in, decisions go out; testable without a stream.

import type { Heartbeat } from '../grpc/generated/strata/v1/Heartbeat';
import type { Heartbeat__Output } from '../grpc/generated/strata/v1/Heartbeat';
import type { Hello__Output } from '../grpc/generated/strata/v1/Hello';

/**
 * The link protocol this code speaks (Hello.protocol_version). Compatibility
 * rule: a node links with peers one version older or newer than its own
 * (N−1, N, N+1), and the two speak the older one. So a fleet upgrades one
 * release at a time, in any order of nodes. Versions:
 * 1 — status reports carry every node below the sender, every heartbeat.
 * 2 — status reports carry only what changed (report-delta.ts); the parent
 *     counts the rest as seen through the child.
 */
export const PROTOCOL_VERSION = 2;
/** The oldest and newest peers this code links with. */
export const PROTOCOL_RANGE = { min: PROTOCOL_VERSION - 1, max: PROTOCOL_VERSION + 1 } as const;

export interface LinkTiming {
  heartbeatMs: number;
  missedHeartbeats: number;
}

/** What this side says about itself: in its Hello, and again in every heartbeat. */
export interface HelloInfo {
  node: string;
  tier: string;
  subtree: string[];
  ancestors: string[];
  federationDomain: string;
  baseDn: string;
  upstreamConnected: boolean;
  zone: string;
  dnsAddress: string;
  ntpAddress: string;
  ldapAddress: string;
  /** The link protocol this side speaks (PROTOCOL_VERSION, or older when pinned by link.protocolVersion). */
  protocolVersion: number;
}

export interface PeerView {
  readonly name: string;
  readonly tier: string;
  /** The peer and every node below it that it reported (child peers). */
  readonly subtree: ReadonlySet<string>;
  readonly ancestors: readonly string[];
  readonly cursors: ReadonlyMap<string, { epoch: string; seq: number }>;
  readonly upstreamConnected: boolean;
  readonly federationDomain: string;
  readonly baseDn: string;
  readonly zone: string;
  readonly dnsAddress: string;
  readonly ntpAddress: string;
  readonly ldapAddress: string;
  /** The protocol both sides speak on this link: the older of the two. */
  readonly protocolVersion: number;
}

type MutablePeer = { -readonly [K in keyof PeerView]: PeerView[K] };

/** The peer as its Hello introduces it, or why the link must be refused. */
export function peerFromHello(hello: Hello__Output, local: Pick<HelloInfo, 'node' | 'protocolVersion'>): { peer: PeerView } | { refused: string } {
  const theirs = hello.protocolVersion;
  if (theirs < PROTOCOL_RANGE.min || theirs > PROTOCOL_RANGE.max) {
    return { refused: `node ${hello.node || '?'} speaks link protocol ${theirs}; node ${local.node} (protocol ${PROTOCOL_VERSION}) links with protocols ${PROTOCOL_RANGE.min}–${PROTOCOL_RANGE.max} only: upgrade (or downgrade) one release at a time (README: Upgrading)` };
  }
  return {
    peer: {
      name: hello.node,
      tier: hello.tier,
      subtree: new Set([hello.node, ...hello.subtree]),
      ancestors: hello.ancestors,
      cursors: new Map(hello.cursors.map((c) => [c.dataset, { epoch: c.epoch, seq: Number(c.seq) }])),
      upstreamConnected: hello.upstreamConnected,
      federationDomain: hello.federationDomain,
      baseDn: hello.baseDn,
      zone: hello.zone,
      dnsAddress: hello.dnsAddress,
      ntpAddress: hello.ntpAddress,
      ldapAddress: hello.ldapAddress,
      protocolVersion: Math.min(theirs, local.protocolVersion),
    },
  };
}

/**
 * Heartbeats repeat what may have been unknown at Hello time (zone, DNS, NTP
 * and LDAP addresses, federation): taken into `peer`; true if any of those
 * changed (upstreamConnected is taken silently).
 */
export function applyHeartbeat(peer: PeerView, heartbeat: Heartbeat__Output): boolean {
  const mutable = peer as MutablePeer;
  mutable.upstreamConnected = heartbeat.upstreamConnected;
  let changed = false;
  for (const field of ['zone', 'dnsAddress', 'ntpAddress', 'ldapAddress', 'federationDomain', 'baseDn'] as const) {
    if (heartbeat[field] && heartbeat[field] !== mutable[field]) {
      mutable[field] = heartbeat[field];
      changed = true;
    }
  }
  return changed;
}

/** The heartbeat this side sends now. */
export function heartbeatOf(local: HelloInfo, nowMs: number): Heartbeat {
  const { upstreamConnected, zone, dnsAddress, ntpAddress, ldapAddress, federationDomain, baseDn } = local;
  return { sentMs: nowMs, upstreamConnected, zone, dnsAddress, ntpAddress, ldapAddress, federationDomain, baseDn };
}

/** Why the link is dead (the peer silent past the missed heartbeats), or undefined while it lives. */
export function watchdog(nowMs: number, lastHeardMs: number, timing: LinkTiming, peerLabel: string): string | undefined {
  const silentMs = nowMs - lastHeardMs;
  return silentMs > timing.heartbeatMs * timing.missedHeartbeats ? `no message from ${peerLabel} for ${silentMs} ms (missed heartbeats)` : undefined;
}

/** Keep only the reported subtree members `allowed` says the peer may speak for (its placement, DESIGN §7). */
export function restrictSubtree(peer: PeerView, allowed: (name: string) => boolean): void {
  const subtree = peer.subtree as Set<string>;
  for (const name of subtree) if (name !== peer.name && !allowed(name)) subtree.delete(name);
}

/** A child reported nodes below it: they are part of its subtree from now on. */
export function extendSubtree(peer: PeerView, names: Iterable<string>): void {
  const subtree = peer.subtree as Set<string>;
  for (const name of names) subtree.add(name);
}
