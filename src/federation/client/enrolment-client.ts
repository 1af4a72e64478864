// A new node's side of enrolment (DESIGN §7): fetch the CA certificate from
// a parent and check it against the fingerprint in the join token, then send
// the token and a certificate request over TLS verified with that CA. Tries
// the parents in order; the caller retries until one answers.

import type { Clock } from '../../kernel/clock';
import { ConfigError, errorMessage, StrataError, UnavailableError } from '../../kernel/errors';
import { formatHostPort } from '../../kernel/host-port';
import { certificateFingerprint, createCsr } from '../../kernel/x509';
import { ApiClient } from './api-client';
import * as grpc from '@grpc/grpc-js';
import { nodeNameCheck, unverifiedTlsCredentials, type NodeIdentity } from '../grpc/grpc-adapter';
import { readJoinToken } from '../enrolment/join-token';
import type { ParentRef } from '../link/parent-ref';

/**
 * `keyPem`: the key to ask a certificate for; keep it across attempts, so an
 * attempt whose answer was lost can be repeated (the core gives the same
 * certificate for the same token and key). `timeoutMs` per call: a Join may
 * pass several nodes (each gives its parent 10 s) before it reaches the core.
 */
export async function enrol(name: string, tier: string, token: string, parents: readonly ParentRef[], hosts: string[], clock: Clock, timeoutMs = 30_000, keyPem?: string): Promise<NodeIdentity> {
  const claims = readJoinToken(token);
  if (claims.node !== name) throw new ConfigError('security.joinToken', `the token is for node ${claims.node}, not ${name}; make one for ${name} with \`strata join-token ${name} --tier ${tier}\``);
  if (claims.tier !== tier) throw new ConfigError('security.joinToken', `the token is for a ${claims.tier} node, but ${name} is configured as ${tier}; make one with \`strata join-token ${name} --tier ${tier}\``);
  const outside = parents.map((p) => p.name).filter((p) => !claims.parents.includes(p));
  if (outside.length > 0) {
    throw new ConfigError('parents', `the join token places ${name} under ${claims.parents.join(', ')}, but its config also lists ${outside.join(', ')}, which would refuse its link; make a token with \`strata join-token ${name} --tier ${tier} --parents ${parents.map((p) => p.name).join(',')}\``);
  }
  const failures: string[] = [];
  for (const parent of parents) {
    const address = formatHostPort(parent.address);
    try {
      const { caPem } = await new ApiClient(address, clock, unverifiedTlsCredentials, timeoutMs).unary<{ caPem: string }>('EnrolmentService', 'GetCaCertificate', {});
      const fingerprint = certificateFingerprint(caPem);
      if (fingerprint !== claims.caFingerprint) {
        failures.push(`${parent.name} at ${address} presented a CA with fingerprint ${fingerprint.slice(0, 16)}…, the token expects ${claims.caFingerprint.slice(0, 16)}… (another federation?)`);
        continue;
      }
      const request = createCsr(name, hosts, keyPem);
      const verified = (): grpc.ChannelCredentials => grpc.credentials.createSsl(Buffer.from(caPem), null, null, { checkServerIdentity: nodeNameCheck(parent.name) });
      const joined = await new ApiClient(address, clock, verified, timeoutMs).unary<{ certPem: string; caPem: string }>('EnrolmentService', 'Join', { token, csrPem: request.csrPem, hops: 0 });
      return { caPem, keyPem: request.keyPem, certPem: joined.certPem };
    } catch (err) {
      if (err instanceof StrataError && err.code === 'PERMISSION_DENIED') throw err; // the core refused the token: retrying cannot help
      failures.push(`${parent.name} at ${address}: ${errorMessage(err)}`);
    }
  }
  throw new UnavailableError(`node ${name} could not enrol: ${failures.join('; ') || 'no parents configured'}`);
}
