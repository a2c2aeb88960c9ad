import { describe, expect, it } from 'vitest';
import { asSegment, asServer } from '../ids.js';
import { applyPartitions } from '../placement/instance-partitions.js';
import { ClusterState } from './cluster-state.js';
import { NO_UNIT } from './routing-table.js';

/** 2 replica groups x 2 positions, 4 segments, mirrored: rows {0,2} and {1,3}. */
function mirroredCluster(): ClusterState {
  const cluster = new ClusterState('t', 2);
  for (let g = 0; g < 2; g++) for (let p = 0; p < 2; p++) cluster.addServer({ name: `server-${g}-${p}`, zone: `z${p}`, pool: 0 });
  for (let s = 0; s < 4; s++) cluster.addSegment({ name: `seg${s}`, sizeBytes: 100 });
  applyPartitions(cluster, [
    [asServer(0), asServer(2)],
    [asServer(1), asServer(3)],
  ]);
  cluster.settle();
  return cluster;
}

describe('routing table', () => {
  it('groups mirrored segments into mirror server sets, in replica-group order', () => {
    const table = mirroredCluster().routingTable();
    expect(table.unitServers).toEqual([[0, 2], [1, 3]]);
    expect(table.unitSegments).toEqual([[0, 2], [1, 3]]);
    expect(table.serverOfGroup(1, 1)).toBe(3);
    expect(table.servingSegmentsOf(asServer(2)).toArray()).toEqual([0, 2]);
    expect(table.minServingReplicas()).toBe(2);
  });

  it('serves a replica only when ideal state and external view both say ONLINE and the server takes queries', () => {
    const cluster = mirroredCluster();
    const first = cluster.routingTable();
    expect(cluster.routingTable()).toBe(first);
    cluster.externalView.set(asSegment(0), asServer(0), 'OFFLINE');
    cluster.setQueryable(asServer(3), false);
    const table = cluster.routingTable();
    expect(table.version).toBeGreaterThan(first.version);
    expect(table.replicasOf(asSegment(0))).toEqual([2]);
    expect(table.replicasOf(asSegment(2))).toEqual([0, 2]);
    expect(table.replicasOf(asSegment(1))).toEqual([1]);
    expect(table.minServingReplicas()).toBe(1);
    cluster.idealState.set(asSegment(1), asServer(1), 'OFFLINE');
    const after = cluster.routingTable();
    expect(after.unitOfSegment(asSegment(1))).toBe(NO_UNIT);
    expect(after.unavailableSegments).toEqual([1]);
    expect(after.minServingReplicas()).toBe(0);
  });

  it('grows as servers join: a new server serves once its replicas are online', () => {
    const cluster = mirroredCluster();
    const joined = cluster.addServer({ name: 'late', zone: 'z9', pool: 0 });
    expect(cluster.zones).toEqual(['z0', 'z1', 'z9']);
    cluster.idealState.set(asSegment(3), joined, 'ONLINE');
    expect(cluster.routingTable().replicasOf(asSegment(3))).toEqual([1, 3]);
    cluster.externalView.set(asSegment(3), joined, 'ONLINE');
    expect(cluster.routingTable().replicasOf(asSegment(3))).toEqual([1, 3, joined]);
    expect(() => cluster.addServer({ name: 'late', zone: 'z0', pool: 0 })).toThrow(/already/);
  });
});
