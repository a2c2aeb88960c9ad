// What loading a segment takes from a server's queries (issue 7, "What moving data costs"): its index
// build uses CPU, so while a server builds one its query threads progress with a lower probability
// (seed 004's slowdown model, shared with the slow-server faults); for a window after a load, reads
// find cold pages and stay a little slower. A host that the impact-free rebalance drained builds its
// indexes with no query to slow: that is the point of draining it first (seed 004 section 3.3).

import type { ServerIndex } from '../../engine/ids.js';
import type { Clock } from '../../engine/ports.js';
import type { LoadCostSpec } from '../faults/cluster-fault-spec.js';
import type { LoadListener } from './segment-loader.js';

/** Slows a server to a progress probability until restored (sim/faults/fault-injector.ts). */
export interface Slowness {
  slowDown(server: ServerIndex, p: number): void;
  restore(server: ServerIndex, p: number): void;
}

export function loadCostListener(cost: LoadCostSpec, slowness: Slowness, clock: Clock): LoadListener {
  const build = cost.indexBuildProgressProbability;
  const after = cost.afterLoadProgressProbability;
  return {
    indexBuildStarted: (server) => {
      if (build < 1) slowness.slowDown(server, build);
    },
    indexBuildEnded: (server) => {
      if (build < 1) slowness.restore(server, build);
      if (after < 1 && cost.afterLoadWindowMs > 0) {
        slowness.slowDown(server, after);
        clock.setTimeout(() => slowness.restore(server, after), cost.afterLoadWindowMs);
      }
    },
  };
}
