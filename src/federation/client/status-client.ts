// Client side of node status and gRPC health, used by the CLI and tests.
// One short-lived channel per call: these are operator commands, not hot paths.

import type { Clock } from '../../kernel/clock';
import type { NodeStatus__Output } from '../grpc/generated/strata/v1/NodeStatus';
import { CLIENT_CHANNEL_OPTIONS, type ClientTls, deadlineIn, fromServiceError, healthClient, strataProto } from '../grpc/grpc-adapter';

export type NodeStatusView = NodeStatus__Output;

/** `expectNode`: the node the address should be (checked against its certificate over TLS). */
export async function fetchNodeStatus(address: string, clock: Clock, tls: ClientTls, timeoutMs = 5000, expectNode?: string): Promise<NodeStatusView> {
  const client = new (strataProto().NodeStatusService)(address, tls.credentials(expectNode), CLIENT_CHANNEL_OPTIONS);
  try {
    return await new Promise<NodeStatusView>((resolve, reject) => {
      client.GetNodeStatus({}, { deadline: deadlineIn(timeoutMs, clock.nowMs()) }, (err, response) => {
        if (err || !response?.node) reject(fromServiceError(err ?? new Error('empty response'), address, !tls.secured));
        else resolve(response.node);
      });
    });
  } finally {
    client.close();
  }
}

/** The standard grpc.health.v1 check: "SERVING", "NOT_SERVING", … */
export async function checkHealth(address: string, clock: Clock, tls: ClientTls, service = '', timeoutMs = 5000): Promise<string> {
  const client = healthClient(address, tls.credentials(), CLIENT_CHANNEL_OPTIONS);
  try {
    return await new Promise<string>((resolve, reject) => {
      client.check({ service }, { deadline: deadlineIn(timeoutMs, clock.nowMs()) }, (err, res) => {
        if (err) reject(fromServiceError(err, address, !tls.secured));
        else resolve(String(res?.status));
      });
    });
  } finally {
    client.close();
  }
}
