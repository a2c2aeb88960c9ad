// The naive rebalance: write the whole target into the ideal state at once (Pinot with downtime=true).
// Every replica that moves is unavailable until its new holder has loaded it: the baseline the two
// careful planners are measured against.

import type { ClusterState } from '../cluster/cluster-state.js';
import type { SegmentIndex } from '../ids.js';
import { allReplicasOnline, currentServers, idealStateAtTarget, sameServers, type RebalancePlanner, type RebalanceStep, type TargetAssignment } from './rebalance-view.js';

export class NaivePlanner implements RebalancePlanner {
  nextStep(cluster: ClusterState, target: TargetAssignment): RebalanceStep {
    if (idealStateAtTarget(cluster, target)) return { kind: 'done' };
    const changes = [];
    for (let s = 0; s < target.length; s++) {
      const segment = s as SegmentIndex;
      if (!sameServers(currentServers(cluster, segment), target[s]) || !allReplicasOnline(cluster, segment)) {
        changes.push({ segment, servers: target[s] });
      }
    }
    return { kind: 'move', label: 'naive', drain: [], changes, enable: [] };
  }
}
