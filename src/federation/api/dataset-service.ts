// strata.v1.DatasetService: lets a client watch a dataset's head at one node.
// Heads are coalesced: a slow client sees the latest seq, not every one.

import type { Clock } from '../../kernel/clock';
import type { Store } from '../../store';
import type { DatasetServiceHandlers } from '../grpc/generated/strata/v1/DatasetService';
import { strataProto, type GrpcServer } from '../grpc/grpc-adapter';

export function addDatasetService(server: GrpcServer, store: () => Store, clock: Clock): void {
  const handlers: DatasetServiceHandlers = {
    WatchDataset: (call) => {
      const name = call.request.dataset;
      let lastSeq = -1;
      let lastEpoch = '';
      const push = (): void => {
        const info = store().dataset(name);
        const seq = info?.seq ?? 0;
        const epoch = info?.epoch ?? '';
        if (seq === lastSeq && epoch === lastEpoch) return;
        lastSeq = seq;
        lastEpoch = epoch;
        call.write({ dataset: name, epoch, seq, seenMs: clock.nowMs() });
      };
      const unsubscribe = store().onChange((names) => {
        if (names.includes(name)) push();
      });
      call.on('cancelled', unsubscribe);
      call.on('close', unsubscribe);
      call.on('error', unsubscribe);
      push();
    },
  };
  server.addService(strataProto().DatasetService.service, handlers);
}
