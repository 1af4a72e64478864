// Certificates for test clients: enrol a made-up node name with the core's
// CA through the real Join path, or make a look-alike from another CA.

import path from 'node:path';
import { enrol } from '../../src/federation/client/enrolment-client';
import * as grpc from '@grpc/grpc-js';
import { CLIENT_CHANNEL_OPTIONS, type NodeIdentity } from '../../src/federation/grpc/grpc-adapter';
import { SystemClock } from '../../src/kernel/clock';
import { parseHostPort, type HostPort } from '../../src/kernel/host-port';
import { joinTokenFor } from '../../src/node/identity';
import type { Cluster } from './cluster';

/** Enrols `name` as a site placed under `parents` (default: the node it enrols through). */
export async function enrolAs(cluster: Cluster, name: string, via = 'core', parents = [via]): Promise<NodeIdentity> {
  const clock = new SystemClock();
  const token = joinTokenFor(path.join(cluster.dataDir, 'core'), name, { tier: 'site', parents }, 600, clock);
  return enrol(name, 'site', token, [{ name: via, address: parseHostPort(cluster.grpc.get(via)!) as HostPort }], ['127.0.0.1'], clock);
}

/** Client credentials presenting `identity` (mutual TLS). */
export function mutualCredentials(identity: NodeIdentity): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(Buffer.from(identity.caPem), Buffer.from(identity.keyPem), Buffer.from(identity.certPem), { checkServerIdentity: () => undefined });
}

export { CLIENT_CHANNEL_OPTIONS };
