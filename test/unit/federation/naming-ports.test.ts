import assert from 'node:assert/strict';
import { namingPorts, type TreeFacts } from '../../../src/federation/ports/naming-ports';

const facts = (overrides: Partial<TreeFacts> = {}): TreeFacts => ({
  name: 'eu',
  isCore: false,
  federationDomain: () => 'Edge.Example.',
  ownZone: () => 'eu.edge.example',
  parentOrder: () => ['core'],
  knownParentDns: () => ({ core: '127.0.0.1:15301', other: '127.0.0.1:9' }),
  reportedParents: () => new Map([['berlin', 'eu'], ['kiosk', 'berlin'], ['nyc', 'us']]),
  descendants: () => new Set(['berlin', 'kiosk', 'lyon']),
  ...overrides,
});

describe('naming ports (what federation tells naming)', () => {
  it('measures depth below this node along the reported chain; unreported descendants are far; others are out of scope', () => {
    const ports = namingPorts(facts());
    assert.equal(ports.depthBelow('eu'), 0);
    assert.equal(ports.depthBelow('berlin'), 1);
    assert.equal(ports.depthBelow('kiosk'), 2);
    assert.equal(ports.depthBelow('lyon'), 16);
    assert.equal(ports.depthBelow('nyc'), undefined);
    assert.equal(ports.depthBelow('core'), undefined);
  });

  it('lists parent DNS listeners in parent order, skipping unknown ones, and canonicalises the domain', () => {
    const ports = namingPorts(facts({ parentOrder: () => ['core', 'missing'] }));
    assert.deepEqual(ports.parentDns(), [{ host: '127.0.0.1', port: 15301 }]);
    assert.equal(ports.federationDomain(), 'edge.example');
  });
});
