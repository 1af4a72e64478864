// strata.v1.BackupService: a consistent copy of the node's state, streamed
// to an operator (`strata backup`). What goes into the archive is the node's
// business (node/backup.ts); this handler checks the caller, streams the
// chunks with back-pressure, and turns a failure into a gRPC status.

import type { Clock } from '../../kernel/clock';
import type { Logger } from '../../kernel/log';
import type { BackupServiceHandlers } from '../grpc/generated/strata/v1/BackupService';
import { strataProto, toServiceError, type GrpcServer, type TlsIdentity } from '../grpc/grpc-adapter';
import { callerOf, refuseRevoked, requireOperator } from '../enrolment/caller-identity';
import type { PkiView } from '../enrolment/pki';

export interface BackupPorts {
  clock: Clock;
  logger: Logger;
  tls: () => TlsIdentity | undefined;
  pki: () => PkiView;
  /** The archive's bytes, in order; `who` is the operator asking (for the log). */
  archive: (who: string) => AsyncIterable<Buffer>;
}

export function addBackupService(server: GrpcServer, ports: BackupPorts): void {
  const handlers: BackupServiceHandlers = {
    Backup: (call) => {
      void (async () => {
        const nowMs = ports.clock.nowMs();
        const tls = ports.tls();
        refuseRevoked(call, tls, nowMs, ports.pki());
        requireOperator(call, tls, nowMs, 'a backup (it holds the node\'s private keys)');
        const who = (tls && callerOf(call, tls, nowMs)?.name) ?? 'a plaintext client';
        let cancelled = false;
        call.on('cancelled', () => (cancelled = true));
        for await (const data of ports.archive(who)) {
          if (cancelled) return;
          if (!call.write({ data })) await drainedOrCancelled(call);
        }
        call.end();
      })().catch((err: unknown) => {
        ports.logger.warn({ err: String(err) }, 'backup failed');
        call.emit('error', toServiceError(err));
      });
    },
  };
  server.addService(strataProto().BackupService.service, handlers);
}

function drainedOrCancelled(call: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      call.off('drain', done);
      call.off('cancelled', done);
      resolve();
    };
    call.once('drain', done);
    call.once('cancelled', done);
  });
}
