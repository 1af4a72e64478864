import assert from 'node:assert/strict';
import { formatTree, toJson } from '../../../src/cli/status-command';
import type { TopologyView } from '../../../src/federation/client/api-client';
import { TopologyView as View } from '../../../src/federation/link/reports/topology-view';

type Clock = { synchronized: boolean; stratum: number; offsetS: number; rootDispersionS: number } | null;
const report = (name: string, tier: string, parent: string, connected: boolean, lastSeenMs: number, lag = 0, clock: Clock = null) => ({
  name, tier, parent, connected, lastSeenMs, grpcAddress: '', uptimeMs: 1000,
  datasets: [{ name: 'settings', owner: 'core', seq: 10 - lag, lagChanges: lag, lagMs: lag * 10 }],
  clock,
});

describe('strata status output', () => {
  const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
  const topology: TopologyView = {
    node: 'core',
    nowMs: NOW,
    nodes: [
      report('core', 'core', '', true, NOW, 0, { synchronized: true, stratum: 10, offsetS: 0, rootDispersionS: 0 }),
      report('eu', 'regional', 'core', true, NOW, 3, { synchronized: true, stratum: 11, offsetS: -0.00004, rootDispersionS: 0.0001 }),
      report('berlin', 'site', 'eu', true, NOW, 0, { synchronized: false, stratum: 16, offsetS: 0, rootDispersionS: 0 }),
      report('us', 'regional', 'core', false, NOW - 90_000, 0, { synchronized: true, stratum: 11, offsetS: 0.0002, rootDispersionS: 0.0001 }),
      report('nyc', 'site', 'core', true, NOW),
    ],
  };

  it('draws the tree with link state, lag, clock and how long ago a lost node was seen', () => {
    assert.deepEqual(formatTree(topology), [
      'federation as seen from core (5 nodes)',
      'core (core)  core  1 datasets, in sync, stratum 10, offset +0.000 ms',
      '├─ eu (regional)  linked to core  1 datasets, lag 3 changes / 30 ms, stratum 11, offset -0.040 ms',
      '│  └─ berlin (site)  linked to eu  1 datasets, in sync, time NOT synchronised',
      '├─ nyc (site)  linked to core  1 datasets, in sync',
      // A lost node's lag and clock are what it last said, and say how old that is.
      '└─ us (regional)  LOST: not heard from since 2026-11-28T11:58:30.000Z (1m30s ago)  1 datasets, lag unknown (last report 1m30s ago), clock as last reported (1m30s ago), stratum 11, offset +0.200 ms',
    ]);
  });

  it('says NO PARENT LINK for the node asked when it is cut off, and never-heard-from nodes below it', () => {
    const cutOff: TopologyView = {
      node: 'nyc',
      nowMs: NOW,
      nodes: [report('nyc', 'site', '', false, NOW), report('kiosk', 'site', 'nyc', false, 0)],
    };
    assert.deepEqual(formatTree(cutOff), [
      'federation as seen from nyc (2 nodes)',
      'nyc (site)  NO PARENT LINK  1 datasets, in sync',
      '└─ kiosk (site)  LOST: never heard from  1 datasets, lag unknown (last report never)',
    ]);
  });

  it('gives the documented JSON shape', () => {
    const json = toJson(topology) as { nodes: Array<Record<string, unknown>> };
    assert.deepEqual(Object.keys(json.nodes[1]!).sort(), ['clock', 'connected', 'datasets', 'grpcAddress', 'lastSeenMs', 'name', 'parent', 'tier', 'uptimeMs']);
    assert.deepEqual(json.nodes[1]!.datasets, [{ name: 'settings', owner: 'core', seq: 7, lagChanges: 3, lagMs: 30 }]);
    assert.equal(json.nodes[0]!.parent, null);
    assert.deepEqual(json.nodes[1]!.clock, { synchronized: true, stratum: 11, offsetMs: -0.04, rootDispersionMs: 0.1 });
    assert.equal(json.nodes[4]!.clock, null, 'no NTP listener (yet)');
  });
});

describe('TopologyView', () => {
  it('keeps a lost child and its subtree with last-seen times, marked not connected', () => {
    const view = new View();
    view.update('us', [report('us', 'regional', 'core', true, 0), report('nyc', 'site', 'us', true, 900)], 1000);
    view.linkLost('us');
    const byName = Object.fromEntries(view.reports().map((r) => [r.name, r]));
    assert.equal(byName.us!.connected, false);
    assert.equal(byName.us!.lastSeenMs, 1000);
    assert.equal(byName.nyc!.connected, false);
    assert.equal(byName.nyc!.lastSeenMs, 900);
    view.update('nyc', [report('nyc', 'site', 'core', true, 0)], 2000);
    assert.equal(view.routeTo('nyc'), 'nyc');
    assert.equal(view.reports().find((r) => r.name === 'nyc')!.connected, true);
  });

  it('falls back to another child that reports a node when its direct link ends, without waiting for a new report', () => {
    const view = new View();
    view.update('eu', [report('eu', 'regional', 'core', true, 0), report('berlin', 'site', 'eu', true, 900)], 1000);
    view.update('berlin', [report('berlin', 'site', 'core', true, 0)], 1500); // berlin's certificate linked here directly too
    assert.equal(view.routeTo('berlin'), 'berlin', 'the node itself first');
    view.touch('eu', 1800); // eu reports only what changed: nothing about berlin
    view.linkLost('berlin');
    const berlin = view.reports().find((r) => r.name === 'berlin')!;
    assert.equal(berlin.connected, true, 'connected through eu, as eu last said');
    assert.equal(berlin.parent, 'eu');
    assert.equal(berlin.lastSeenMs, 1800);
    assert.equal(view.routeTo('berlin'), 'eu');
    view.linkLost('eu');
    assert.equal(view.reports().find((r) => r.name === 'berlin')!.connected, false, 'no source left that has it connected');
  });
});
