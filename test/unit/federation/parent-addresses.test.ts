import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ParentAddresses } from '../../../src/federation/ports/parent-addresses';
import { SystemClock } from '../../../src/kernel/clock';
import { Store } from '../../../src/store';

describe('ParentAddresses', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-parent-addresses-'));
    store = await Store.open({ dir, nodeName: 'berlin', clock: new SystemClock() });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every parent when they are recorded at once (the linked parent and the fallbacks asked meanwhile)', async () => {
    const addresses = new ParentAddresses(() => store);
    await Promise.all([addresses.remember('ntp', 'eu', '127.0.0.1:15313'), addresses.remember('ntp', 'core', '127.0.0.1:15303'), addresses.remember('dns', 'eu', '127.0.0.1:15311')]);
    assert.deepEqual(addresses.known('ntp'), { eu: '127.0.0.1:15313', core: '127.0.0.1:15303' });
    assert.deepEqual(addresses.known('dns'), { eu: '127.0.0.1:15311' });
  });
});
