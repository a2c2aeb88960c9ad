// How many segments have no serving replica and the fewest serving replicas of any segment, by the
// routing table's rule (routing-table.ts: ONLINE or CONSUMING in the ideal state and the external view,
// on a server taking queries), without building the table: what an availability meter reads at every
// change of a large cluster, where building units and bitmaps each time would dominate the run.

import type { SegmentIndex } from '../ids.js';
import type { ClusterState } from './cluster-state.js';
import { isServingState } from './segment-state.js';

export interface ServingCount {
  readonly unavailableSegments: number;
  /** 0 when a segment has none, or the table has no segment. */
  readonly minServingReplicas: number;
}

export function countServing(cluster: ClusterState): ServingCount {
  let unavailable = 0;
  let fewest = Infinity;
  for (let s = 0; s < cluster.segmentCount; s++) {
    const segment = s as SegmentIndex;
    let serving = 0;
    for (const [server, state] of cluster.idealState.instancesOf(segment)) {
      if (isServingState(state) && isServingState(cluster.externalView.get(segment, server)) && cluster.takesQueries(server)) serving++;
    }
    if (serving === 0) unavailable++;
    fewest = Math.min(fewest, serving);
  }
  return { unavailableSegments: unavailable, minServingReplicas: fewest === Infinity ? 0 : fewest };
}
