// Structured JSON logging (pino). Every module takes a Logger; only the
// composition root creates one. Log once, where an error is handled.

import pino from 'pino';

export type Logger = pino.Logger;
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface LoggerOptions {
  level: LogLevel;
  /** Bound to every line, e.g. { node: 'berlin' }. */
  bindings?: Record<string, unknown>;
  /** Defaults to stdout; tests pass a stream to capture lines. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const logger = pino(
    { level: options.level, base: { pid: process.pid, ...options.bindings } },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return logger;
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
