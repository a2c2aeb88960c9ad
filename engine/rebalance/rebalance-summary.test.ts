import { describe, expect, it } from 'vitest';
import { ClusterState } from '../cluster/cluster-state.js';
import { asSegment, asServer } from '../ids.js';
import { summarizeRebalance } from './rebalance-summary.js';

describe('rebalance dry-run summary', () => {
  it("counts Pinot's pre-check figures for a scale-out from two servers to three", () => {
    const cluster = new ClusterState('t', 1);
    for (let s = 0; s < 3; s++) cluster.addServer({ name: `s${s}`, zone: 'z', pool: 0 });
    for (let s = 0; s < 4; s++) cluster.idealState.assign(cluster.addSegment({ name: `seg${s}`, sizeBytes: 10 * (s + 1) }), [asServer(s % 2)], 'ONLINE');
    // Segments 0 and 2 on s0 (10 + 30 bytes), 1 and 3 on s1 (20 + 40). Target: segment 3 moves to s2.
    const target = [[0], [1], [0], [2]].map((servers) => servers.map(asServer));
    const summary = summarizeRebalance(cluster, target);
    expect(summary).toMatchObject({
      segmentsToAdd: 1,
      segmentsToDrop: 1,
      bytesToMove: 40,
      serversGaining: 1,
      serversLosing: 1,
      serversAdded: 1,
      serversRemoved: 0,
      maxSegmentsAddedToOneServer: 1,
      maxDiskBytesBefore: 60,
      maxDiskBytesDuring: 60,
      maxDiskBytesAfter: 40,
    });
    expect(summary.warnings).toEqual([]);
    expect(cluster.idealState.get(asSegment(3), asServer(1))).toBe('ONLINE');
  });
});
