import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asServer } from '../ids.js';
import { ClusterState } from './cluster-state.js';
import { SEGMENT_STATES } from './segment-state.js';
import { countServing } from './serving-count.js';

describe('countServing', () => {
  it('agrees with the routing table on unavailable segments and the fewest serving replicas, for any state', () => {
    const replica = fc.record({ server: fc.nat(5), ideal: fc.constantFrom(...SEGMENT_STATES), view: fc.option(fc.constantFrom(...SEGMENT_STATES)) });
    fc.assert(
      fc.property(
        fc.array(fc.array(replica, { maxLength: 4 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (segments, up, queryable) => {
          const cluster = new ClusterState('t', 3);
          for (let s = 0; s < 6; s++) cluster.addServer({ name: `s${s}`, zone: 'z', pool: 0 });
          segments.forEach((replicas, i) => {
            const segment = cluster.addSegment({ name: `seg${i}`, sizeBytes: 1 });
            for (const r of replicas) {
              cluster.idealState.set(segment, asServer(r.server), r.ideal);
              if (r.view !== null) cluster.externalView.set(segment, asServer(r.server), r.view);
            }
          });
          up.forEach((u, s) => cluster.setUp(asServer(s), u));
          queryable.forEach((q, s) => cluster.setQueryable(asServer(s), q));
          const table = cluster.routingTable();
          expect(countServing(cluster)).toEqual({ unavailableSegments: table.unavailableSegments.length, minServingReplicas: table.minServingReplicas() });
        },
      ),
    );
    expect(countServing(new ClusterState('empty', 1))).toEqual({ unavailableSegments: 0, minServingReplicas: 0 });
  });
});
