// The throwaway thread of config-load.ts: reads and validates one node
// config and hands back the runtime form, its warnings, or the problem.

import { workerData, type MessagePort } from 'node:worker_threads';
import { ConfigError } from '../kernel/errors';
import { configWarnings, loadConfigFile } from './config';
import type { ConfigLoaded } from './config-load';

const { file, port, done } = workerData as { file: string; port: MessagePort; done: Int32Array };
let answer: ConfigLoaded;
try {
  const config = loadConfigFile(file);
  answer = { kind: 'config', config, warnings: configWarnings(config) };
} catch (err) {
  answer = err instanceof ConfigError ? { kind: 'config-error', path: err.path, message: err.detail } : { kind: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}
port.postMessage(answer);
Atomics.store(done, 0, 1);
Atomics.notify(done, 0);
