import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { fromServiceError, toServiceError } from '../../../src/federation/grpc/grpc-adapter';
import { UnavailableError } from '../../../src/kernel/errors';

describe('gRPC errors, both ends', () => {
  it('reports a node\'s refusal as the refusal, even when its text mentions connections', () => {
    const refusal = toServiceError(new UnavailableError('cannot write settings at berlin: its owner core is not connected now; retry when it is back'));
    const seen = fromServiceError(refusal, '127.0.0.1:15330');
    assert.equal(seen.code, 'UNAVAILABLE');
    assert.equal(seen.message, 'cannot write settings at berlin: its owner core is not connected now; retry when it is back');
  });

  it('reports a connection that failed as "did not answer"', () => {
    const failed = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: grpc.status.UNAVAILABLE, details: 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1', metadata: new grpc.Metadata() });
    assert.match(fromServiceError(failed, '127.0.0.1:1').message, /node at 127\.0\.0\.1:1 did not answer/);
  });
});
