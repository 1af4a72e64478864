// With grpc-client-tls.ts (the client side's TLS identity and credentials,
// re-exported here), the one place that imports @grpc/grpc-js and
// @grpc/proto-loader at run time: loads proto/, runs a server with health
// checking and reflection (descriptors from reflection.ts), and makes clients. Services themselves live in
// their own files and only see the types re-exported here. It does not know
// any Strata service.

import { dateAt, msSince, type Clock } from '../../kernel/clock';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { HealthImplementation, protoPath as healthProtoPath, service as healthService, type ServingStatus } from 'grpc-health-check';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ListenError, StrataError, UnavailableError, errorMessage, type ErrorCode } from '../../kernel/errors';
import { formatHostPort, type HostPort } from '../../kernel/host-port';
import type { OperatorProof } from '../enrolment/operator-proof';
import type { TlsIdentity } from './grpc-client-tls';
import { reflectionService } from './reflection';

export { CLIENT_CHANNEL_OPTIONS, ClientTls, clientTlsOf, nodeNameCheck, unverifiedTlsCredentials, type NodeIdentity, type TlsIdentity } from './grpc-client-tls';
import { runWithWriteContext } from './write-context';
import type { ProtoGrpcType as DatasetProto } from './generated/dataset';
import type { ProtoGrpcType as DirectoryProto } from './generated/directory';
import type { ProtoGrpcType as EnrolmentProto } from './generated/enrolment';
import type { ProtoGrpcType as BackupProto } from './generated/backup';
import type { ProtoGrpcType as LinkProto } from './generated/link';
import type { ProtoGrpcType as NamingProto } from './generated/naming';
import type { ProtoGrpcType as SettingsProto } from './generated/settings';
import type { ProtoGrpcType as StatusProto } from './generated/status';
import type { ProtoGrpcType as TopologyProto } from './generated/topology';

type StrataV1 = StatusProto['strata']['v1'] & DatasetProto['strata']['v1'] & NamingProto['strata']['v1'] & LinkProto['strata']['v1'] & SettingsProto['strata']['v1'] & TopologyProto['strata']['v1'] & DirectoryProto['strata']['v1'] & EnrolmentProto['strata']['v1'] & BackupProto['strata']['v1'];


/** A client of the standard grpc.health.v1.Health service. */
export type HealthClient = grpc.Client & {
  check(req: { service: string }, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: { status: string | number }) => void): void;
};

export function healthClient(address: string, credentials: grpc.ChannelCredentials, options: grpc.ChannelOptions): HealthClient {
  const Client = grpc.makeGenericClientConstructor(healthService as grpc.ServiceDefinition, 'Health');
  return new Client(address, credentials, options) as unknown as HealthClient;
}
export type { ServingStatus };

export const PROTO_DIR = path.resolve(__dirname, '../../../../proto');
export const PROTOCOL_PACKAGE = 'strata.v1';

/** Must match the flags in scripts/gen-proto.js. */
const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

let cachedDefinition: protoLoader.PackageDefinition | undefined;

/** The protocol's files as they import each other (strata/v1/naming.proto, …). */
function strataProtoFiles(): string[] {
  return readdirSync(path.join(PROTO_DIR, 'strata/v1'))
    .filter((f) => f.endsWith('.proto'))
    .sort()
    .map((f) => `strata/v1/${f}`);
}

export function packageDefinition(): protoLoader.PackageDefinition {
  cachedDefinition ??= protoLoader.loadSync(strataProtoFiles(), LOADER_OPTIONS);
  return cachedDefinition;
}

let cachedProto: StrataV1 | undefined;

export function strataProto(): StrataV1 {
  cachedProto ??= (grpc.loadPackageDefinition(packageDefinition()) as unknown as { strata: { v1: StrataV1 } }).strata.v1;
  return cachedProto;
}

/** What a guard sees of a call: the request and the TLS peer. */
export interface GuardedCall {
  request: unknown;
  getAuthContext?(): { sslPeerCertificate?: { raw?: Buffer } } | null;
  metadata?: grpc.Metadata;
  getPath?(): string;
}

/** Binary metadata carrying an operator's signature over the call (operator-proof.ts). */
const PROOF_METADATA = 'strata-proof-bin';

/** The request as both ends serialise it for signing: encoded from its decoded form (defaults filled in). */
export function canonicalRequest(definition: grpc.MethodDefinition<unknown, unknown>, request: unknown): Buffer {
  return definition.requestSerialize(definition.requestDeserialize(definition.requestSerialize(request)));
}

/** Metadata for a call signed by the operator (`proof` made over canonicalRequest). */
export function proofMetadata(proof: OperatorProof): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set(PROOF_METADATA, Buffer.from(JSON.stringify({ certPem: proof.certPem, timeMs: proof.timeMs, nonce: proof.nonce, signature: proof.signature.toString('base64') })));
  return metadata;
}

function proofOf(call: GuardedCall, definition: grpc.MethodDefinition<unknown, unknown>): OperatorProof | undefined {
  const raw = call.metadata?.get(PROOF_METADATA)[0];
  if (!Buffer.isBuffer(raw) || raw.length > 64 * 1024) return undefined;
  try {
    const parsed = JSON.parse(raw.toString('utf8')) as { certPem: string; timeMs: number; nonce: string; signature: string };
    if (typeof parsed.certPem !== 'string' || typeof parsed.nonce !== 'string' || typeof parsed.signature !== 'string' || !Number.isFinite(parsed.timeMs)) return undefined;
    return { certPem: parsed.certPem, method: definition.path, request: definition.requestSerialize(call.request), timeMs: parsed.timeMs, nonce: parsed.nonce, signature: Buffer.from(parsed.signature, 'base64') };
  } catch {
    return undefined;
  }
}

type UnaryHandler = (call: GuardedCall, callback: (err: grpc.ServiceError | Error | null, response?: unknown) => void) => void;

/** A gRPC server with standard health checking and server reflection turned on. */
export class GrpcServer {
  readonly server = new grpc.Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  private readonly health = new HealthImplementation({ '': 'NOT_SERVING' });
  private boundPort = 0;

  constructor() {
    this.health.addToServer(this.server);
    reflectionService([...strataProtoFiles().map((name) => ({ name, file: path.join(PROTO_DIR, name) })), { name: 'grpc/health/v1/health.proto', file: healthProtoPath }]).addToServer(this.server);
  }

  private readonly guards = new Map<string, (call: GuardedCall) => void>();

  /**
   * Methods (by name) that run only if `check` passes for the call; a check
   * that throws answers with its error (e.g. PERMISSION_DENIED). Set before
   * the services are added. Unary methods only.
   */
  guard(methods: readonly string[], check: (call: GuardedCall) => void): void {
    for (const method of methods) this.guards.set(method, check);
  }

  private everyCall: ((call: GuardedCall) => void) | undefined;
  private everyCallExempt = new Set<string>();

  /** A check run before every unary call but the `exempt` methods, before its method's own guard (e.g. revoked certificates). */
  guardEveryCall(check: (call: GuardedCall) => void, exempt: readonly string[] = []): void {
    this.everyCall = check;
    this.everyCallExempt = new Set(exempt);
  }

  private timed: { methods: Set<string>; observe: (stage: 'authorise' | 'total', ms: number) => void; clock: Pick<Clock, 'monotonicNs'> } | undefined;

  /** Times these unary methods: their guards ('authorise') and the whole call until answered ('total'). Set before the services are added. */
  timeCalls(methods: readonly string[], observe: (stage: 'authorise' | 'total', ms: number) => void, clock: Pick<Clock, 'monotonicNs'>): void {
    this.timed = { methods: new Set(methods), observe, clock };
  }

  addService(service: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation): void {
    const wrapped: grpc.UntypedServiceImplementation = {};
    for (const [name, handler] of Object.entries(implementation)) {
      const own = this.guards.get(name);
      const every = this.everyCallExempt.has(name) ? undefined : this.everyCall;
      const unary = !service[name]?.requestStream && !service[name]?.responseStream;
      const check = !unary ? undefined : own && every ? (call: GuardedCall) => { every(call); own(call); } : (own ?? every);
      const definition = service[name]! as grpc.MethodDefinition<unknown, unknown>;
      if (unary) this.unaryHandlers.set(definition.path, { definition, handler: handler as UnaryHandler });
      const timed = this.timed?.methods.has(name) ? this.timed : undefined;
      wrapped[name] = !unary ? handler : ((call: GuardedCall, answer: (err: grpc.ServiceError | Error | null, response?: unknown) => void) => {
        const startNs = timed?.clock.monotonicNs();
        const callback = !timed ? answer : (err: grpc.ServiceError | Error | null, response?: unknown): void => {
          timed.observe('total', msSince(timed.clock, startNs!));
          answer(err, response);
        };
        try {
          check?.(call);
          if (timed) timed.observe('authorise', msSince(timed.clock, startNs!));
        } catch (err) {
          callback(toServiceError(err) as grpc.ServiceError);
          return;
        }
        // An operator's signed call: the proof goes with any write it makes, to the owner (write-router.ts).
        const proof = proofOf(call, definition);
        const run = (): void => (handler as UnaryHandler)(call, callback);
        if (proof) runWithWriteContext({ principal: { operator: proof, who: 'operator' } }, run);
        else run();
      }) as grpc.UntypedHandleCall;
    }
    this.server.addService(service, wrapped);
  }

  private identityProvider: IdentityProvider | undefined;

  /** New connections are served with this key and certificate (a renewed identity). */
  updateIdentity(identity: { keyPem: string; certPem: string }): void {
    this.identityProvider?.update({ certificate: Buffer.from(identity.certPem), privateKey: Buffer.from(identity.keyPem) });
  }

  private readonly unaryHandlers = new Map<string, { definition: grpc.MethodDefinition<unknown, unknown>; handler: UnaryHandler }>();

  /**
   * Runs a unary method here as if called with `request` (its wire bytes),
   * without guards: for an owner running an operator's forwarded call, whose
   * proof it checked. Resolves with the response, rejects with the error.
   */
  invoke(methodPath: string, request: Buffer): Promise<unknown> {
    const found = this.unaryHandlers.get(methodPath);
    if (!found) return Promise.reject(new StrataError('NOT_FOUND', `no method ${methodPath} here`));
    const decoded = found.definition.requestDeserialize(request);
    return new Promise((resolve, reject) => {
      const call: GuardedCall = { request: decoded, metadata: new grpc.Metadata(), getPath: () => methodPath, getAuthContext: () => null };
      found.handler(call, (err, response) => (err ? reject(fromServiceError(err as grpc.ServiceError, 'the owner')) : resolve(response)));
    });
  }

  /**
   * Bind and serve; resolves with the bound port (useful with port 0). With
   * `tls`, clients must use TLS; a client certificate issued by the CA is
   * asked for but not required (links check it, see peerIdentity; the CLI
   * and generic tools come without one).
   */
  listen(address: HostPort, tls?: TlsIdentity): Promise<number> {
    return new Promise((resolve, reject) => {
      const secure = tls && serverCredentials(tls);
      this.identityProvider = secure?.provider;
      this.server.bindAsync(formatHostPort(address), secure ? secure.credentials : grpc.ServerCredentials.createInsecure(), (err, port) => {
        if (err) {
          reject(new ListenError(`cannot listen for gRPC on ${formatHostPort(address)}: ${describeBindError(err)}`, { cause: err }));
          return;
        }
        this.boundPort = port;
        resolve(port);
      });
    });
  }

  get port(): number {
    return this.boundPort;
  }

  setServing(status: ServingStatus, service = ''): void {
    this.health.setStatus(service, status);
  }

  /** Graceful shutdown, forced after `graceMs`. */
  stop(graceMs: number, wait: (ms: number) => Promise<void>): Promise<void> {
    this.health.setStatus('', 'NOT_SERVING');
    return new Promise((resolve) => {
      let done = false;
      const finish = (): void => {
        if (!done) {
          done = true;
          resolve();
        }
      };
      this.server.tryShutdown(finish);
      void wait(graceMs).then(() => {
        if (!done) this.server.forceShutdown();
        finish();
      });
    });
  }
}

function describeBindError(err: Error): string {
  const text = err.message;
  if (/EADDRINUSE|address already in use/i.test(text)) return 'address already in use; is another Strata node running? Choose another port';
  if (/EACCES|permission denied/i.test(text)) return 'permission denied; ports below 1024 need privileges';
  if (/EADDRNOTAVAIL/i.test(text)) return 'address not available on this host';
  return text;
}

/** Map an error thrown inside a handler to a gRPC status (the one place for this edge). */
export function toServiceError(err: unknown): grpc.ServiceError {
  const code = err instanceof StrataError ? STATUS_BY_CODE[err.code] : grpc.status.INTERNAL;
  const error = new Error(errorMessage(err)) as grpc.ServiceError;
  error.code = code;
  error.details = errorMessage(err);
  error.metadata = new grpc.Metadata();
  // Marks an answer from a Strata node (a refusal), as opposed to a connection that failed.
  error.metadata.set(ANSWERED_METADATA, err instanceof StrataError ? err.code : 'INTERNAL');
  return error;
}

const ANSWERED_METADATA = 'strata-error';

// Canonical codes first: the reverse lookup in fromServiceError takes the first match.
const STATUS_BY_CODE: Record<ErrorCode, grpc.status> = {
  INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT,
  NOT_FOUND: grpc.status.NOT_FOUND,
  ALREADY_EXISTS: grpc.status.ALREADY_EXISTS,
  FAILED_PRECONDITION: grpc.status.FAILED_PRECONDITION,
  ABORTED: grpc.status.ABORTED,
  UNAVAILABLE: grpc.status.UNAVAILABLE,
  PERMISSION_DENIED: grpc.status.PERMISSION_DENIED,
  INTERNAL: grpc.status.INTERNAL,
  CONFIG: grpc.status.INVALID_ARGUMENT,
  LOCKED: grpc.status.UNAVAILABLE,
  LISTEN: grpc.status.INTERNAL,
  STORE: grpc.status.INTERNAL,
};

type Callback<T> = (err: grpc.ServiceError | null, value?: T) => void;

/** Runs a unary handler's work and answers with its value, or with the mapped error. */
export function reply<T>(callback: Callback<T>, work: () => Promise<T> | T): void {
  Promise.resolve()
    .then(work)
    .then((value) => callback(null, value), (err: unknown) => callback(toServiceError(err)));
}

/** A failed TLS handshake, said as what it is and what to do (undefined when the failure was not TLS). */
function tlsFailure(details: string, peer: string): string | undefined {
  const reason = /Last error: (?:Error: )?(.*?)\.? Resolution note/.exec(details)?.[1] ?? details;
  const otherNode = /holds the certificate of node (\S+), not of (\S+)/.exec(reason);
  if (otherNode) return `TLS: the server at ${peer} holds the certificate of node ${otherNode[1]}, not of ${otherNode[2]}; check --node or --addr`;
  if (/self.signed|unable to (get|verify)|certificate signature|CERT_|unknown ca|bad certificate|certificate (has )?expired|not yet valid/i.test(reason)) {
    return `TLS: the server's certificate at ${peer} is not signed by the CA you gave (${reason}); pass --ca <core data dir>/tls/ca.crt (or set $STRATA_CA) for this federation`;
  }
  if (/wrong version number|packet length too long|unexpected eof|ssl|tls/i.test(reason)) {
    return `TLS: no TLS handshake with ${peer} (${reason}); if the node runs with security.mode plaintext, leave out --ca`;
  }
  return undefined;
}

/** Map a client-side gRPC failure to a Strata error naming the peer; `plaintext`: the client had no TLS identity (hint at --ca). */
export function fromServiceError(err: unknown, peer: string, plaintext = false): StrataError {
  const status = (err as Partial<grpc.ServiceError>).code;
  const details = (err as Partial<grpc.ServiceError>).details ?? errorMessage(err);
  // The node answered with a refusal (e.g. UNAVAILABLE because an owner is cut off): report it as it said it, never as "did not answer".
  const answered = (err as Partial<grpc.ServiceError>).metadata?.get(ANSWERED_METADATA)[0];
  if (typeof answered === 'string' && answered in STATUS_BY_CODE) return new StrataError(answered as ErrorCode, details, { cause: err });
  const transport = /No connection established|ECONNREFUSED|ECONNRESET|failed to connect|Connection dropped|Deadline exceeded|Name resolution/i.test(details);
  if (status === grpc.status.UNAVAILABLE && transport) {
    const tls = tlsFailure(details, peer);
    if (tls) return new UnavailableError(tls, { cause: err });
  }
  if (status === grpc.status.DEADLINE_EXCEEDED || (status === grpc.status.UNAVAILABLE && transport)) {
    const tlsHint = !plaintext ? '' : ' If the node uses TLS (security.mode mtls, the default), give --ca with the federation CA certificate.';
    return new UnavailableError(`node at ${peer} did not answer (${details}); is it running? Check the address, or 'strata up'.${tlsHint}`, { cause: err });
  }
  const code = (Object.entries(STATUS_BY_CODE).find(([, s]) => s === status)?.[0] ?? 'INTERNAL') as ErrorCode;
  return new StrataError(code, details, { cause: err });
}

/**
 * A certificate provider (grpc-js reads identities through these) whose
 * identity can be replaced (a renewed certificate) for new connections. It
 * answers a new listener on the next microtask: grpc-js registers its own
 * watcher only after adding the listeners, and would miss an answer given
 * at once.
 */
class IdentityProvider implements grpc.experimental.CertificateProvider {
  private readonly identityListeners = new Set<grpc.experimental.IdentityCertificateUpdateListener>();

  constructor(private ca: Buffer, private identity: { certificate: Buffer; privateKey: Buffer }) {}

  addCaCertificateListener(listener: grpc.experimental.CaCertificateUpdateListener): void {
    void Promise.resolve().then(() => listener({ caCertificate: this.ca }));
  }

  removeCaCertificateListener(): void {}

  addIdentityCertificateListener(listener: grpc.experimental.IdentityCertificateUpdateListener): void {
    this.identityListeners.add(listener);
    void Promise.resolve().then(() => listener(this.identity));
  }

  removeIdentityCertificateListener(listener: grpc.experimental.IdentityCertificateUpdateListener): void {
    this.identityListeners.delete(listener);
  }

  update(identity: { certificate: Buffer; privateKey: Buffer }): void {
    this.identity = identity;
    for (const listener of this.identityListeners) listener(identity);
  }
}

function serverCredentials(tls: TlsIdentity): { credentials: grpc.ServerCredentials; provider: IdentityProvider } {
  if (!tls.keyPem || !tls.certPem) throw new ListenError('a TLS gRPC listener needs the node\'s key and certificate');
  // grpc-js's factory names its first two parameters in the opposite order to the class it builds; one provider serving both avoids depending on either.
  const provider = new IdentityProvider(Buffer.from(tls.caPem), { certificate: Buffer.from(tls.certPem), privateKey: Buffer.from(tls.keyPem) });
  return { credentials: grpc.experimental.createCertificateProviderServerCredentials(provider, provider, false), provider };
}

export { peerCertificate } from './peer-certificate';

export function deadlineIn(ms: number, nowMs: number): Date {
  return dateAt(nowMs + ms);
}
