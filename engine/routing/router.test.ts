// Routing a query's segments to one request per server: replica group, balanced, per mirror server set.
import { describe, expect, it } from 'vitest';
import { mirroredClusterState } from '../cluster/mirrored-cluster.js';
import { Topology } from '../cluster/topology.js';
import type { SegmentIndex } from '../ids.js';
import { createSelector } from './create-selector.js';
import { type InstanceSelectorType, Router } from './router.js';
import { NO_SERVER, type SelectorKind } from './server-selector.js';
import { LcgRng, ManualClock, TEST_PARAMS } from './test-doubles.js';

// Two replica groups of two instances, four segments: segments 0 and 2 on position 0 (servers 0 and
// 2), segments 1 and 3 on position 1 (servers 1 and 3).
const topology = new Topology({ brokers: 1, numReplicaGroups: 2, numInstancesPerReplicaGroup: 2, segments: 4 });

function router(type: InstanceSelectorType, kind: SelectorKind = 'round-robin'): Router {
  const selector = createSelector(kind, TEST_PARAMS, { clock: new ManualClock(), rng: new LcgRng(3), servers: 4, brokers: 1 });
  return new Router(mirroredClusterState(topology), type, kind, selector);
}
const segs = (...ids: number[]) => ids as SegmentIndex[];

describe('Router', () => {
  it('places segments round-robin over positions and mirrors them across groups', () => {
    expect(topology.segmentsOfPosition).toEqual([segs(0, 2), segs(1, 3)]);
    expect(topology.mirrorServerSets).toEqual([[0, 2], [1, 3]]);
    expect(topology.serverName(topology.serverAt(1, 0))).toBe('server-1-0');
    expect(topology.serverByName('server-1-1')).toBe(3);
    expect(topology.serverByName('server-2-0')).toBeUndefined();
  });

  it('replicaGroup with round-robin sends each whole query to the next group', () => {
    const r = router('replicaGroup');
    expect(r.route(null)).toEqual({ servers: [0, 1], segments: [segs(0, 2), segs(1, 3)], units: [0, 1], segmentsMissing: 0 });
    expect(r.route(null)).toEqual({ servers: [2, 3], segments: [segs(0, 2), segs(1, 3)], units: [0, 1], segmentsMissing: 0 });
    expect(r.route(segs(3))).toEqual({ servers: [1], segments: [segs(3)], units: [1], segmentsMissing: 0 });
  });

  it('mirrorServerSet rotates within each mirror server set independently', () => {
    const r = router('mirrorServerSet');
    expect(r.route(segs(3, 1))).toEqual({ servers: [1], segments: [segs(3, 1)], units: [1], segmentsMissing: 0 });
    expect(r.route(null)).toEqual({ servers: [0, 3], segments: [segs(0, 2), segs(1, 3)], units: [0, 1], segmentsMissing: 0 });
    expect(r.route(segs(2, 1))).toEqual({ servers: [2, 1], segments: [segs(2), segs(1)], units: [0, 1], segmentsMissing: 0 });
  });

  it('balanced chooses per segment and groups the chosen segments by server', () => {
    const r = router('balanced');
    expect(r.route(null)).toEqual({ servers: [0, 1], segments: [segs(0, 2), segs(1, 3)], units: [0, 1], segmentsMissing: 0 });
    expect(r.route(segs(0, 1))).toEqual({ servers: [2, 3], segments: [segs(0), segs(1)], units: [0, 1], segmentsMissing: 0 });
    expect(r.route(segs(2, 0))).toEqual({ servers: [2, 0], segments: [segs(2), segs(0)], units: [2, 0], segmentsMissing: 0 });
  });

  it('replicaGroup with an adaptive selector picks per mirror server set, as Pinot does', () => {
    const r = router('replicaGroup', 'hybrid');
    for (let i = 0; i < 20; i++) {
      const plan = r.route(null);
      expect(plan.servers).toHaveLength(2);
      expect(topology.positionOf(plan.servers[0])).toBe(0);
      expect(topology.positionOf(plan.servers[1])).toBe(1);
    }
  });

  it('selects a waiting request from the unit its segments form now, after the routing table renumbered its units', () => {
    // 2 groups x 3 positions: units {0,3} on servers 0 and 3, {1,4} on 1 and 4, {2,5} on 2 and 5.
    const shape = new Topology({ brokers: 1, numReplicaGroups: 2, numInstancesPerReplicaGroup: 3, segments: 6 });
    const cluster = mirroredClusterState(shape);
    const selector = createSelector('in-flight', TEST_PARAMS, { clock: new ManualClock(), rng: new LcgRng(5), servers: 6, brokers: 1 });
    const r = new Router(cluster, 'mirrorServerSet', 'in-flight', selector);
    const plan = r.route(segs(1, 4));
    expect(plan.units).toEqual([1]);
    const routedVersion = r.tableVersion;
    // Position 0 goes down in both groups: segments 0 and 3 have no server, and units are numbered anew.
    cluster.setUp(shape.serverAt(0, 0), false);
    cluster.setUp(shape.serverAt(1, 0), false);
    expect(cluster.routingTable().unitServers).toEqual([[1, 4], [2, 5]]);
    for (let i = 0; i < 10; i++) expect([1, 4]).toContain(r.selectWaiting(segs(1, 4), routedVersion));
    // A request whose segments no server serves any longer keeps waiting.
    expect(r.selectWaiting(segs(0, 3), routedVersion)).toBe(NO_SERVER);
    expect(r.waitingCandidates(segs(0, 3), routedVersion)).toEqual([]);
    // Its unit now is the first of the renumbered table (it was the second).
    expect(r.unitOfWaiting(segs(1, 4))).toBe(0);
    // Unchanged table: its unit as routed.
    expect([2, 5]).toContain(r.selectWaiting(segs(2, 5), r.tableVersion));
  });
});
