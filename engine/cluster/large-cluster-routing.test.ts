import { describe, expect, it } from 'vitest';
import { asServer, type SegmentIndex } from '../ids.js';
import { applyPartitions } from '../placement/instance-partitions.js';
import { LcgRng } from '../routing/test-doubles.js';
import { ClusterState } from './cluster-state.js';
import { generateRoutingEntry, largeClusterRoutingTables, segmentsPerServerVariance } from './large-cluster-routing.js';

/** 3 replica groups x 10 positions, 60 segments. */
function cluster(): ClusterState {
  const state = new ClusterState('t', 3);
  for (let s = 0; s < 30; s++) state.addServer({ name: `s${s}`, zone: 'z', pool: 0 });
  for (let s = 0; s < 60; s++) state.addSegment({ name: `seg${s}`, sizeBytes: 1 });
  applyPartitions(state, Array.from({ length: 10 }, (_, row) => [0, 1, 2].map((g) => asServer(g * 10 + row))));
  state.settle();
  return state;
}

function coveredOnce(entry: ReadonlyMap<number, readonly SegmentIndex[]>, segments: number): boolean {
  const all = [...entry.values()].flat().sort((a, b) => a - b);
  return all.length === segments && all.every((segment, i) => segment === i);
}

describe('large-cluster routing tables (seed 003 Algorithms 1-2)', () => {
  it('covers every segment exactly once, each from a server that serves it', () => {
    const table = cluster().routingTable();
    const rng = new LcgRng(3);
    for (let i = 0; i < 20; i++) {
      const entry = generateRoutingEntry(table, 5, rng);
      expect(coveredOnce(entry, 60)).toBe(true);
      for (const [server, segments] of entry) for (const segment of segments) expect(table.replicasOf(segment)).toContain(server);
      // Ten mirror server sets need at least ten servers; a table never uses more than the cluster has.
      expect(entry.size).toBeGreaterThanOrEqual(10);
    }
  });

  it('keeps the tables with the lowest variance of segments per server', () => {
    const table = cluster().routingTable();
    const kept = largeClusterRoutingTables(table, { targetServers: 10, tablesKept: 4, tablesGenerated: 200 }, new LcgRng(9));
    expect(kept).toHaveLength(4);
    const rng = new LcgRng(10);
    const random = Array.from({ length: 200 }, () => segmentsPerServerVariance(generateRoutingEntry(table, 10, rng))).sort((a, b) => a - b);
    for (const entry of kept) {
      expect(coveredOnce(entry, 60)).toBe(true);
      expect(segmentsPerServerVariance(entry)).toBeLessThanOrEqual(random[20]);
    }
  });
});
