// `strata node --config FILE`: runs one node in this process until SIGTERM
// or SIGINT, then stops it cleanly (forced exit after 5 s). When launched by
// `strata up` (an IPC channel exists) it reports readiness over IPC and stops
// if its launcher goes away.

import { SystemClock } from '../kernel/clock';
import { errorMessage } from '../kernel/errors';
import { formatHostPort } from '../kernel/host-port';
import { IdleCollector } from '../kernel/idle-gc';
import { releaseForge } from '../kernel/x509';
import { createLogger } from '../kernel/log';
import { loadNodeConfig } from '../node/config-load';
import { StrataNode } from '../node/node';

const STOP_DEADLINE_MS = 5000;

export interface ReadyMessage {
  type: 'ready';
  name: string;
  pid: number;
  services: Record<string, string>;
}

export interface FailedMessage {
  type: 'failed';
  name: string;
  error: string;
}

/** `strata node --check`: the config as the node would run it, or every problem in it (thrown); starts nothing. */
export function checkNodeConfig(configFile: string): string {
  const { config, warnings } = loadNodeConfig(configFile);
  const listens = Object.entries(config.listen).map(([service, at]) => `${service} ${formatHostPort(at)}`).join(', ');
  const parents = config.parents.map((p) => `${p.name} (${formatHostPort(p.address)})`).join(', ') || 'none';
  const group = config.core ? `; member ${config.core.member} of a core group on etcd ${config.core.etcd.endpoints.join(', ')}` : '';
  return [`${configFile}: OK — node ${config.name} (${config.tier}${group}), parents: ${parents}; listens: ${listens}; data: ${config.dataDir}`, ...warnings.map((w) => `warning: ${w}`)].join('\n');
}

export async function runNode(configFile: string): Promise<void> {
  const { config, warnings } = loadNodeConfig(configFile);
  const clock = new SystemClock();
  const logger = createLogger({ level: config.log.level, bindings: { node: config.name } });
  for (const warning of warnings) logger.warn(warning);
  const node = new StrataNode(config, { clock, logger, processMetrics: true });
  let started = false;
  let stopping = false;
  const collector = new IdleCollector(clock); // started once the node is
  // Signals are handled from the first moment: a node still starting (e.g. waiting to enrol) stops cleanly too.
  const stop = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping');
    clock.setTimeout(() => {
      logger.error(`did not stop within ${STOP_DEADLINE_MS} ms; exiting anyway`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    if (!started) {
      node.abortStart(); // start() fails soon, having stopped what it started; then we exit below
      return;
    }
    collector.stop();
    node.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (process.send) process.on('disconnect', () => stop('launcher went away'));
  try {
    await node.start();
  } catch (err) {
    if (stopping) process.exit(0);
    logger.error({ err }, 'start failed');
    process.send?.({ type: 'failed', name: config.name, error: errorMessage(err) } satisfies FailedMessage);
    throw err;
  }
  started = true;
  // Only the core signs certificates; the others made theirs during start, and make a request at each renewal.
  if (config.tier !== 'core') releaseForge({ afterEachUse: true });
  collector.start();
  if (stopping) {
    stopping = false;
    stop('signal during start-up');
    return;
  }
  if (process.send) {
    process.send({ type: 'ready', name: config.name, pid: process.pid, services: node.listenAddresses() } satisfies ReadyMessage);
  }
}
