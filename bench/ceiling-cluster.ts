// What both ceiling servers (fixed-answer.ts for DNS, ldap-ceiling.ts for
// LDAP) share: `workers` node:cluster processes serving one shared socket,
// as Strata's DNS and LDAP workers do, all gone when the primary is
// stopped (SIGTERM) or goes away.

import cluster from 'node:cluster';

/** In the primary: forks the workers. In a worker: runs `serve`, which must send 'ready' once listening. */
export function runAsCluster(workers: number, serve: () => void): void {
  if (cluster.isPrimary) {
    for (let i = 0; i < workers; i++) cluster.fork();
    process.on('SIGTERM', () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
      process.exit(0);
    });
    return;
  }
  serve();
  process.on('disconnect', () => process.exit(0));
}
