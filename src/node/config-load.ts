// Loads a node's config in a throwaway worker thread, synchronously. The
// YAML parser and the schema library (zod) are needed for a few
// milliseconds at start and would otherwise stay in every running node's
// heap (~5 MB of a site's RSS, issue 13); the thread's heap goes when it
// exits. The answer is the same frozen NodeConfig, or the same ConfigError.

import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { deepFreeze } from '../kernel/deep-freeze';
import { ConfigError } from '../kernel/errors';
import type { NodeConfig } from './config';

/** How long reading a config may take before it counts as a failure (a config is a few KB). */
const LOAD_DEADLINE_MS = 30_000;

export type ConfigLoaded =
  | { kind: 'config'; config: NodeConfig; warnings: string[] }
  | { kind: 'config-error'; path: string; /** Without the path. */ message: string }
  | { kind: 'failed'; message: string };

export interface LoadedConfig {
  config: NodeConfig;
  /** What is valid but probably not meant (configWarnings). */
  warnings: string[];
}

/** Read and validate a node config file, as loadConfigFile does, without keeping its parsers loaded. Throws ConfigError. */
export function loadNodeConfig(file: string): LoadedConfig {
  const { port1, port2 } = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(path.join(__dirname, 'config-worker.js'), { workerData: { file, port: port2, done }, transferList: [port2] });
  try {
    if (Atomics.wait(done, 0, 0, LOAD_DEADLINE_MS) === 'timed-out') {
      throw new ConfigError('', `reading ${file} took more than ${LOAD_DEADLINE_MS / 1000} s; check that the file is a regular file and the machine is not overloaded`);
    }
    const answer = receiveMessageOnPort(port1)?.message as ConfigLoaded | undefined;
    if (answer === undefined) throw new ConfigError('', `reading ${file} failed: the config reader ended without an answer; run 'strata node --check --config ${file}'`);
    if (answer.kind === 'config-error') throw new ConfigError(answer.path, answer.message);
    if (answer.kind === 'failed') throw new Error(`reading config ${file} failed: ${answer.message}`);
    return { config: deepFreeze(answer.config), warnings: answer.warnings };
  } finally {
    port1.close();
    void worker.terminate();
  }
}
