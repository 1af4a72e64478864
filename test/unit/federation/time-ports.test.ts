import assert from 'node:assert/strict';
import { timePorts } from '../../../src/federation/ports/time-ports';

describe('timePorts', () => {
  it("lists parents' NTP listeners in parent order, skipping unknown ones, and reaches a wildcard listener at the parent's configured host", () => {
    const ports = timePorts({
      parentOrder: () => ['core', 'eu', 'us'],
      knownParentNtp: () => ({ eu: '10.1.0.10:123', core: '0.0.0.0:123' }),
      configuredAddress: (name) => (name === 'core' ? { host: '10.0.0.10', port: 15300 } : undefined),
    });
    assert.deepEqual(ports.parentNtp(), [
      { name: 'core', address: { host: '10.0.0.10', port: 123 } },
      { name: 'eu', address: { host: '10.1.0.10', port: 123 } },
    ]);
  });
});
