// Client side of the query/admin services (settings, topology) for the CLI,
// tests and applications, errors mapped to Strata errors that name the node
// called. By default one short-lived channel per call (the CLI makes one call
// per process); keepChannel() makes a long-lived client that reuses one TLS
// channel for every call until close().

import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Clock } from '../../kernel/clock';
import type { GetTopologyResponse__Output } from '../grpc/generated/strata/v1/GetTopologyResponse';
import type { ListSettingsResponse__Output } from '../grpc/generated/strata/v1/ListSettingsResponse';
import type { SetSettingResponse__Output } from '../grpc/generated/strata/v1/SetSettingResponse';
import type { Setting__Output } from '../grpc/generated/strata/v1/Setting';
import { OPERATOR_METHODS } from '../enrolment/caller-identity';
import * as grpc from '@grpc/grpc-js';
import { canonicalRequest, CLIENT_CHANNEL_OPTIONS, ClientTls, deadlineIn, fromServiceError, proofMetadata, strataProto } from '../grpc/grpc-adapter';
import { signOperatorCall } from '../enrolment/operator-proof';

export type TopologyView = GetTopologyResponse__Output;

type Unary<Req, Res> = (req: Req, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown;

type UnaryWithMetadata<Req, Res> = (req: Req, metadata: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown;

function call<Req, Res>(client: grpc.Client, method: Unary<Req, Res>, request: Req, address: string, plaintext: boolean, clock: Clock, timeoutMs: number, metadata = new grpc.Metadata(), closeAfter = true): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    (method as unknown as UnaryWithMetadata<Req, Res>).call(client, request, metadata, { deadline: deadlineIn(timeoutMs, clock.nowMs()) }, (err, res) => {
      if (closeAfter) client.close();
      if (err || res === undefined) reject(fromServiceError(err ?? new Error('empty response'), address, plaintext));
      else resolve(res);
    });
  });
}

type ServiceName = 'RecordService' | 'ServiceRegistry' | 'SettingsService' | 'TopologyService' | 'ResolverService' | 'DirectoryService' | 'EnrolmentService';
type ServiceClient = new (address: string, creds: grpc.ChannelCredentials, options: grpc.ChannelOptions) => grpc.Client;

export class ApiClient {
  /** The operator identity, looked up and its key parsed once (signing with a parsed key is ~4× faster). */
  private signer: { key: KeyObject; certPem: string } | null | undefined;
  /** With keepChannel(): the one channel every call shares, and a client per service on it. */
  private kept: { channel: grpc.Channel; clients: Map<ServiceName, grpc.Client> } | undefined;

  private readonly credentials: () => grpc.ChannelCredentials;
  private readonly operator: () => { keyPem: string; certPem: string } | undefined;
  private readonly plaintext: boolean;

  /**
   * `tls`: how to reach the node — a client identity (its operator
   * certificate, if any, signs changes) or just credentials (nothing signed).
   */
  constructor(
    private readonly address: string,
    private readonly clock: Clock,
    tls: ClientTls | (() => grpc.ChannelCredentials),
    private readonly timeoutMs = 10_000,
  ) {
    this.credentials = tls instanceof ClientTls ? () => tls.credentials() : tls;
    this.operator = tls instanceof ClientTls ? () => tls.operator() : () => undefined;
    this.plaintext = tls instanceof ClientTls && !tls.secured;
  }

  setSetting(key: string, value: string): Promise<SetSettingResponse__Output> {
    return this.unary('SettingsService', 'SetSetting', { key, value });
  }

  setSettings(settings: Array<{ key: string; value: string }>): Promise<SetSettingResponse__Output> {
    return this.unary('SettingsService', 'SetSettings', { settings });
  }

  deleteSetting(key: string): Promise<SetSettingResponse__Output> {
    return this.unary('SettingsService', 'DeleteSetting', { key });
  }

  getSetting(key: string): Promise<Setting__Output> {
    return this.unary('SettingsService', 'GetSetting', { key });
  }

  listSettings(prefix = ''): Promise<ListSettingsResponse__Output> {
    return this.unary('SettingsService', 'ListSettings', { prefix });
  }

  /** Calls onHead with the dataset's head now and after each change, until the returned cancel() is called. */
  watchDataset(dataset: string, onHead: (head: { epoch: string; seq: number; seenMs: number }) => void, onError?: (err: Error) => void): () => void {
    const client = new (strataProto().DatasetService)(this.address, this.credentials(), CLIENT_CHANNEL_OPTIONS);
    const stream = client.WatchDataset({ dataset });
    stream.on('data', (head: { epoch: string; seq: number; seenMs: number }) => onHead({ epoch: head.epoch, seq: Number(head.seq), seenMs: Number(head.seenMs) }));
    stream.on('error', (err: grpc.ServiceError) => {
      if (err.code !== grpc.status.CANCELLED) onError?.(fromServiceError(err, this.address, this.plaintext));
    });
    return () => {
      stream.cancel();
      client.close();
    };
  }

  /** The node's backup archive (strata.v1.BackupService), chunk by chunk; operators only. */
  async *backup(): AsyncGenerator<Buffer> {
    const client = new (strataProto().BackupService)(this.address, this.credentials(), CLIENT_CHANNEL_OPTIONS);
    const stream = client.Backup({});
    try {
      for await (const chunk of stream as AsyncIterable<{ data: Buffer }>) yield chunk.data;
    } catch (err) {
      throw fromServiceError(err, this.address, this.plaintext);
    } finally {
      stream.cancel();
      client.close();
    }
  }

  /** Any unary method of a strata.v1 service, e.g. unary('RecordService', 'AddRecord', {...}). */
  unary<Res>(service: ServiceName, method: string, request: unknown): Promise<Res> {
    const Client = strataProto()[service] as unknown as ServiceClient;
    const client = (this.kept ? this.keptClient(service, Client) : new Client(this.address, this.credentials(), CLIENT_CHANNEL_OPTIONS)) as unknown as Record<string, Unary<unknown, Res>> & grpc.Client;
    return call(client, client[method]!, request, this.address, this.plaintext, this.clock, this.timeoutMs, this.signed(service, method, request), !this.kept);
  }

  /**
   * From now on every call shares one channel (one TLS session, reconnected
   * by gRPC if it drops) until close(): for applications, tests and
   * benchmarks that make many calls. Returns this.
   */
  keepChannel(): this {
    this.kept ??= { channel: new grpc.Channel(this.address, this.credentials(), CLIENT_CHANNEL_OPTIONS), clients: new Map() };
    return this;
  }

  /** Closes the kept channel (calls in flight fail); a later call opens a short-lived channel again. */
  close(): void {
    if (!this.kept) return;
    this.kept.channel.close(); // the service clients share it: closing one would close it too
    this.kept = undefined;
  }

  private keptClient(service: ServiceName, Client: ServiceClient): grpc.Client {
    const kept = this.kept!;
    let client = kept.clients.get(service);
    if (!client) {
      client = new Client(this.address, this.credentials(), { ...CLIENT_CHANNEL_OPTIONS, channelOverride: kept.channel });
      kept.clients.set(service, client);
    }
    return client;
  }

  /** An operator's changes are signed end to end, so the owner can check them wherever the call lands (operator-proof.ts). */
  private signed(service: string, method: string, request: unknown): grpc.Metadata | undefined {
    if (!(OPERATOR_METHODS as readonly string[]).includes(method)) return undefined;
    if (this.signer === undefined) {
      const operator = this.operator();
      this.signer = operator ? { key: createPrivateKey(operator.keyPem), certPem: operator.certPem } : null;
    }
    const operator = this.signer;
    if (!operator) return undefined;
    const definition = (strataProto() as unknown as Record<string, { service: Record<string, grpc.MethodDefinition<unknown, unknown>> }>)[service]!.service[method]!;
    return proofMetadata(signOperatorCall(operator, definition.path, canonicalRequest(definition, request), this.clock.nowMs()));
  }

  topology(): Promise<TopologyView> {
    return this.unary('TopologyService', 'GetTopology', {});
  }
}
