// Status reports up the tree send what changed (issue 13): the whole subtree
// every heartbeat was O(subtree) per second per level.

import assert from 'node:assert/strict';
import { ReportDelta } from '../../../src/federation/link/reports/report-delta';
import { TopologyView } from '../../../src/federation/link/reports/topology-view';
import type { NodeReport, NodeReport__Output } from '../../../src/federation/grpc/generated/strata/v1/NodeReport';

function report(name: string, extra: Partial<NodeReport> = {}): NodeReport {
  return { name, tier: 'site', parent: 'eu', connected: true, lastSeenMs: 1000, uptimeMs: 5, grpcAddress: `${name}:1`, datasets: [{ name: 'settings', owner: 'core', seq: 10, lagChanges: 0, lagMs: 0 }], clock: { synchronized: true, stratum: 3, offsetS: 0.001, rootDispersionS: 0.01 }, ...extra };
}

describe('status reports: only what changed, and a full refresh now and then', () => {
  it('sends everything first, then only reports whose link state, parent, datasets, lag or clock state changed', () => {
    const delta = new ReportDelta(30);
    const link = {};
    const all = [report('eu', { tier: 'regional', parent: 'core' }), report('berlin'), report('paris')];
    assert.deepEqual(delta.next(link, all).map((r) => r.name), ['eu', 'berlin', 'paris'], 'the first send on a link is full');
    const drifted = all.map((r) => ({ ...r, lastSeenMs: 2000, uptimeMs: 99, clock: { ...r.clock!, offsetS: 0.002 }, datasets: r.datasets!.map((d) => ({ ...d, seq: 11 })) }));
    assert.deepEqual(delta.next(link, drifted), [], 'times, uptime, offsets and seqs drift without a send');
    const moved = [drifted[0]!, { ...drifted[1]!, connected: false }, { ...drifted[2]!, parent: 'core' }];
    assert.deepEqual(delta.next(link, moved).map((r) => r.name), ['berlin', 'paris'], 'a lost node and a re-parented one are sent at once');
    const lagging = [moved[0]!, moved[1]!, { ...moved[2]!, datasets: [{ name: 'settings', owner: 'core', seq: 11, lagChanges: 5, lagMs: 100 }] }];
    assert.deepEqual(delta.next(link, lagging).map((r) => r.name), ['paris'], 'a lag that starts is sent');
    assert.deepEqual(delta.next(link, lagging.map((r) => ({ ...r, datasets: r.datasets!.map((d) => ({ ...d, lagChanges: d.lagChanges ? 7 : 0 })) }))), [], 'the same order of magnitude is not');
    assert.deepEqual(delta.next({}, lagging).map((r) => r.name), ['eu', 'berlin', 'paris'], 'a new parent link starts full again');
  });

  it('refreshes every report every `fullEvery` sends', () => {
    const delta = new ReportDelta(3);
    const link = {};
    const sizes = Array.from({ length: 7 }, () => delta.next(link, [report('a'), report('b')]).length);
    assert.deepEqual(sizes, [2, 0, 0, 2, 0, 0, 2]);
  });

  it('the parent counts a node it heard nothing new about as seen through the child it came by, unless that node was lost', () => {
    const view = new TopologyView();
    const wire = (r: NodeReport): NodeReport__Output => r as NodeReport__Output; // what the link decodes
    view.update('eu', [wire(report('eu', { parent: 'core' })), wire(report('berlin', { lastSeenMs: 900 })), wire(report('paris', { connected: false, lastSeenMs: 500 }))], 1000);
    view.touch('eu', 5000);
    const seen = Object.fromEntries(view.reports().map((r) => [r.name, Number(r.lastSeenMs)]));
    assert.deepEqual(seen, { eu: 5000, berlin: 5000, paris: 500 });
    view.touch('us', 9000);
    assert.equal(Number(view.reports().find((r) => r.name === 'berlin')!.lastSeenMs), 5000, 'another child does not vouch for them');
  });
});
