// `strata settings set|get|list|rm`: federation settings, owned by the core.
// set/rm at any node are forwarded to the core; get/list read that node's replica.

import type { ApiClient } from '../federation/client';
import { apiClient, type TlsOptions } from './client';

export interface TargetOptions extends TlsOptions {
  node?: string;
  addr?: string;
  dataDir: string;
  json?: boolean;
}

function client(options: TargetOptions): ApiClient {
  return apiClient(options);
}

export async function settingsSet(key: string, value: string, options: TargetOptions, out: (l: string) => void): Promise<void> {
  const result = await client(options).setSetting(key, value);
  out(`${key} = ${value} (seq ${result.seq} at ${result.owner})`);
}

export async function settingsRm(key: string, options: TargetOptions, out: (l: string) => void): Promise<void> {
  const result = await client(options).deleteSetting(key);
  out(`${key} removed (seq ${result.seq} at ${result.owner})`);
}

export async function settingsGet(key: string, options: TargetOptions, out: (l: string) => void): Promise<void> {
  const setting = await client(options).getSetting(key);
  out(options.json ? JSON.stringify(setting) : setting.value);
}

export async function settingsList(prefix: string | undefined, options: TargetOptions, out: (l: string) => void): Promise<void> {
  const list = await client(options).listSettings(prefix ?? '');
  if (options.json) return out(JSON.stringify({ seq: list.seq, settings: list.settings }, null, 2));
  if (list.settings.length === 0) return out('(no settings)');
  const width = Math.max(...list.settings.map((s) => s.key.length));
  for (const s of list.settings) out(`${s.key.padEnd(width)}  ${s.value}`);
}
