// strata.v1.SettingsService: federation-wide key/value settings, a dataset
// owned by the core and replicated to every node. Writes at any node are
// routed to the core and visible at that node when the call returns
// (read-your-writes); reads answer from the local replica.

import { InvalidArgumentError, NotFoundError } from '../../kernel/errors';
import type { Store } from '../../store';
import type { SettingsServiceHandlers } from '../grpc/generated/strata/v1/SettingsService';
import { reply, strataProto, type GrpcServer } from '../grpc/grpc-adapter';
import type { WriteRouter } from '../writes/write-router';

export { SETTINGS_DATASET } from '../link/ownership';
import { SETTINGS_DATASET } from '../link/ownership';
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/;

export interface SettingsDeps {
  store(): Store;
  router(): WriteRouter;
  nodeName: string;
  writeTimeoutMs: number;
}

export function addSettingsService(server: GrpcServer, deps: SettingsDeps): void {
  const setMany = async (pairs: Array<{ key: string; value: string | undefined }>): Promise<{ seq: number; owner: string }> => {
    if (pairs.length === 0) throw new InvalidArgumentError('no settings given');
    const mutations = pairs.map(({ key, value }) => {
      checkKey(key);
      return value === undefined ? { op: 'delete' as const, key } : { op: 'put' as const, key, value };
    });
    const outcome = await deps.router().writeVisible(SETTINGS_DATASET, mutations, deps.writeTimeoutMs);
    return { seq: outcome.seq, owner: outcome.owner };
  };
  const handlers: SettingsServiceHandlers = {
    SetSetting: (call, callback) => reply(callback, () => setMany([{ key: call.request.key, value: call.request.value }])),
    SetSettings: (call, callback) => reply(callback, () => setMany(call.request.settings)),
    DeleteSetting: (call, callback) => reply(callback, () => setMany([{ key: call.request.key, value: undefined }])),
    GetSetting: (call, callback) =>
      reply(callback, () => {
        checkKey(call.request.key);
        const value = held(deps) ? deps.store().get(SETTINGS_DATASET, call.request.key) : undefined;
        if (value === undefined) throw new NotFoundError(`setting ${call.request.key} is not set (as seen at ${deps.nodeName})`);
        return { key: call.request.key, value: String(value) };
      }),
    ListSettings: (call, callback) =>
      reply(callback, () => {
        const store = deps.store();
        const entries = held(deps) ? store.entries(SETTINGS_DATASET, { prefix: call.request.prefix || undefined }) : [];
        return { settings: entries.map((e) => ({ key: e.key, value: String(e.value) })), seq: store.dataset(SETTINGS_DATASET)?.seq ?? 0 };
      }),
  };
  server.addService(strataProto().SettingsService.service, handlers);
}

function held(deps: SettingsDeps): boolean {
  return deps.store().dataset(SETTINGS_DATASET) !== undefined;
}

function checkKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new InvalidArgumentError(`setting key ${JSON.stringify(key)} is not valid: use letters, digits and . _ / - (up to 255), starting with a letter or digit`);
  }
}
