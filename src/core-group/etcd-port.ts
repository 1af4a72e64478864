// The etcd adapter (the only file that imports etcd3): what the HA core needs
// of etcd, in its own words — read one key or a key range at a revision,
// commit a transaction guarded by one key's modification revision, watch a
// prefix from a revision, campaign for leadership. Every call has a deadline,
// so a lost quorum is an error within seconds rather than a hang.

import type * as Etcd3Module from 'etcd3';
import type { Etcd3, IKeyValue, IRequestOp, Campaign } from 'etcd3';
import type * as CockatielModule from 'cockatiel';
import type { IBackoff } from 'cockatiel';

/**
 * etcd3 and cockatiel (some 50 modules, ~5 MB of every process) are loaded when an EtcdPort is first
 * made — by a core group member or `strata core-group` — not by every node that never talks to etcd.
 */
let libraries: { etcd3: typeof Etcd3Module; cockatiel: typeof CockatielModule } | undefined;
function lib(): { etcd3: typeof Etcd3Module; cockatiel: typeof CockatielModule } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (libraries ??= { etcd3: require('etcd3') as typeof Etcd3Module, cockatiel: require('cockatiel') as typeof CockatielModule });
}

export interface KeyValue {
  key: string;
  value: Buffer;
  modRevision: number;
  createRevision: number;
}

export type TxnOp = { put: string; value: Buffer } | { delete: string } | { deleteFrom: string; to: string };

/** One watch response: the events of one or more revisions, in order. */
export interface WatchEvent {
  type: 'put' | 'delete';
  key: string;
  value: Buffer;
  modRevision: number;
}

export interface EtcdWatch {
  close(): Promise<void>;
}

export interface EtcdPortOptions {
  endpoints: readonly string[];
  /** Deadline of each unary call. */
  callTimeoutMs: number;
  /** Wall-clock ms (gRPC deadlines are dates). */
  nowMs: () => number;
}


/** How long an etcd member that failed three calls in a row is left alone. */
const HALF_OPEN_AFTER_MS = 1000;

export class EtcdPort {
  private readonly client: Etcd3;

  constructor(private readonly options: EtcdPortOptions) {
    const { etcd3, cockatiel } = lib();
    const { isRecoverableError } = etcd3;
    const { BrokenCircuitError, circuitBreaker, ConsecutiveBreaker, ConstantBackoff, handleType, handleWhen, retry, wrap } = cockatiel;
    this.client = new etcd3.Etcd3({
      hosts: options.endpoints.map((e) => (/^https?:\/\//.test(e) ? e : `http://${e}`)),
      dialTimeout: options.callTimeoutMs,
      // A call that fails on one etcd member is tried once more on another; a member failing three times in a row is
      // left alone for a second. Each attempt has its own deadline, so a lost quorum is an error within a few seconds.
      // After an outage every member may still be left alone when etcd is back: such a call waits until they may be
      // tried again and is made once more, rather than failing a write that etcd would take.
      faultHandling: {
        global: wrap(
          retry(handleType(BrokenCircuitError), { maxAttempts: 1, backoff: new ConstantBackoff(HALF_OPEN_AFTER_MS + 100) }),
          retry(handleWhen(isRecoverableError), { maxAttempts: 2 }),
        ),
        host: () => circuitBreaker(handleWhen(isRecoverableError), { halfOpenAfter: HALF_OPEN_AFTER_MS, breaker: new ConsecutiveBreaker(3) }),
        // etcd3's types say a backoff; at run time it calls next() on it first, as on a cockatiel backoff factory.
        watchBackoff: new cockatiel.ExponentialBackoff({ initialDelay: 100, maxDelay: 1000 }) as unknown as IBackoff<unknown>,
      },
      defaultCallOptions: (context) => (context.isStream ? {} : { deadline: new Date(this.options.nowMs() + this.options.callTimeoutMs) }),
    });
  }

  get endpoints(): readonly string[] {
    return this.options.endpoints;
  }

  async get(key: string): Promise<{ kv: KeyValue | undefined; revision: number }> {
    const res = await this.client.get(key).exec();
    return { kv: res.kvs[0] && toKeyValue(res.kvs[0]), revision: Number(res.header.revision) };
  }

  /** Keys in [start, end) as of `revision` (0: now), `limit` at most; `more` if there are others after them. */
  async range(start: string, end: string, revision: number, limit: number): Promise<{ kvs: KeyValue[]; more: boolean; revision: number }> {
    let builder = this.client.getAll().inRange({ start, end }).limit(limit).sort('Key', 'Ascend');
    if (revision > 0) builder = builder.revision(revision);
    const res = await builder.exec();
    return { kvs: res.kvs.map(toKeyValue), more: res.more, revision: Number(res.header.revision) };
  }

  /** Runs `ops` if `key`'s modification revision is `modRevision` (0: the key does not exist). */
  async txnIfUnchanged(key: string, modRevision: number, ops: readonly TxnOp[]): Promise<{ succeeded: boolean; revision: number }> {
    const res = await this.client.if(key, 'Mod', '==', modRevision).then(...ops.map(toRequestOp)).commit();
    return { succeeded: res.succeeded, revision: Number(res.header.revision) };
  }

  async put(key: string, value: Buffer): Promise<void> {
    await this.client.put(key).value(value).exec();
  }

  /** Puts `value` at `key` unless it exists; answers what is there afterwards. */
  async putIfAbsent(key: string, value: Buffer): Promise<Buffer> {
    const res = await this.client.if(key, 'Create', '==', 0).then(this.client.put(key).value(value)).else(this.client.get(key)).commit();
    if (res.succeeded) return value;
    const kv = res.responses[0]?.response_range?.kvs[0];
    return kv ? Buffer.from(kv.value) : value;
  }

  /** Events on keys in [start, end) from `fromRevision` on, one batch per response, in revision order. */
  async watch(start: string, end: string, fromRevision: number, onEvents: (events: WatchEvent[]) => void, onError: (err: Error) => void): Promise<EtcdWatch> {
    const watcher = await this.client.watch().inRange({ start, end }).startRevision(String(fromRevision)).create();
    watcher.on('data', (res) => {
      const events = (res.events ?? []).map((e): WatchEvent => ({ type: e.type === 'Delete' ? 'delete' : 'put', key: e.kv.key.toString('utf8'), value: Buffer.from(e.kv.value ?? []), modRevision: Number(e.kv.mod_revision) }));
      if (events.length > 0) onEvents(events);
    });
    watcher.on('error', onError);
    return { close: () => watcher.cancel() };
  }

  /** Campaigns for `name` with a lease of ttlS; `elected` once leader, `lost` when the lease or the connection goes. */
  campaign(name: string, value: string, ttlS: number, events: { elected: () => void; lost: (err: Error) => void }): { resign(): Promise<void> } {
    const campaign: Campaign = this.client.election(name, ttlS).campaign(value);
    campaign.on('elected', events.elected);
    campaign.on('error', events.lost);
    return { resign: () => campaign.resign().catch(() => undefined) };
  }

  close(): void {
    this.client.close();
  }
}

/**
 * Did etcd fail to answer (a gRPC error from it, a member left alone after
 * failures, a closed client) — as opposed to a mistake of ours, which must
 * not be reported as etcd being away?
 */
export function isEtcdUnreachable(err: unknown): boolean {
  if (!libraries) return false; // no EtcdPort was made: nothing came from etcd
  const { etcd3, cockatiel } = libraries;
  return (err instanceof Error && etcd3.isRecoverableError(err)) || err instanceof etcd3.GRPCUnavailableError || err instanceof cockatiel.BrokenCircuitError || err instanceof etcd3.ClientClosedError;
}

/** Did etcd answer with a refusal (too many operations in a transaction, a request too large, …)? */
export function isEtcdRefusal(err: unknown): boolean {
  return libraries !== undefined && err instanceof libraries.etcd3.GRPCGenericError && !isEtcdUnreachable(err);
}

/** The key after every key starting with `prefix` (etcd's prefix range end); prefixes here are ASCII and end in '/'. */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

function toKeyValue(kv: IKeyValue): KeyValue {
  return { key: kv.key.toString('utf8'), value: Buffer.from(kv.value), modRevision: Number(kv.mod_revision), createRevision: Number(kv.create_revision) };
}

function toRequestOp(op: TxnOp): IRequestOp {
  if ('put' in op) return { request_put: { key: Buffer.from(op.put, 'utf8'), value: op.value } };
  if ('delete' in op) return { request_delete_range: { key: Buffer.from(op.delete, 'utf8') } };
  return { request_delete_range: { key: Buffer.from(op.deleteFrom, 'utf8'), range_end: Buffer.from(op.to, 'utf8') } };
}
