// Pinot's no-downtime rebalance, one step at a time (PINOT-REFERENCE.md "Rebalance"; Pinot's
// TableRebalancer.getNextAssignment). Each step moves every segment one hop toward its target: keep
// the replicas common to current and target; while fewer than minAvailableReplicas are kept, keep
// more current replicas, servers with the fewest segments left to shed first; then add target
// replicas up to the target count, servers gaining the most first. batchSizePerServer defers a
// segment whose new replica would exceed a server's additions for the step; lowDiskMode writes the
// drops of a step first and the additions in the next one.

import type { ClusterState } from '../cluster/cluster-state.js';
import type { SegmentIndex, ServerIndex } from '../ids.js';
import {
  allReplicasOnline,
  currentServers,
  idealStateAtTarget,
  resolveMinAvailable,
  sameServers,
  type RebalanceMove,
  type RebalancePlanner,
  type RebalanceStep,
  type TargetAssignment,
} from './rebalance-view.js';

export interface PinotRebalanceOptions {
  /** Pinot's minAvailableReplicas: replicas each segment keeps during a step; negative: R + it. Default -1. */
  readonly minAvailableReplicas: number;
  /** Drop before add (two steps per hop). Default false. */
  readonly lowDiskMode: boolean;
  /** Most segments one server gains per step; -1: no limit. Default -1. */
  readonly batchSizePerServer: number;
}

export const PINOT_REBALANCE_DEFAULTS: PinotRebalanceOptions = { minAvailableReplicas: -1, lowDiskMode: false, batchSizePerServer: -1 };

export class PinotPlanner implements RebalancePlanner {
  constructor(private readonly options: PinotRebalanceOptions = PINOT_REBALANCE_DEFAULTS) {}

  nextStep(cluster: ClusterState, target: TargetAssignment): RebalanceStep {
    if (idealStateAtTarget(cluster, target)) return { kind: 'done' };
    const toShed = new Map<ServerIndex, number>();
    const toGain = new Map<ServerIndex, number>();
    const current: ServerIndex[][] = [];
    for (let s = 0; s < target.length; s++) {
      const held = currentServers(cluster, s as SegmentIndex);
      current.push(held);
      for (const server of held) if (!target[s].includes(server)) toShed.set(server, (toShed.get(server) ?? 0) + 1);
      for (const server of target[s]) if (!held.includes(server)) toGain.set(server, (toGain.get(server) ?? 0) + 1);
    }
    const added = new Map<ServerIndex, number>();
    const changes: RebalanceMove['changes'][number][] = [];
    let dropsOnly = false;
    for (let s = 0; s < target.length; s++) {
      const segment = s as SegmentIndex;
      const next = this.nextServers(current[s], target[s], toShed, toGain);
      const additions = next.filter((server) => !current[s].includes(server));
      const batch = this.options.batchSizePerServer;
      if (batch >= 0 && additions.some((server) => (added.get(server) ?? 0) >= Math.max(1, batch))) continue;
      for (const server of additions) added.set(server, (added.get(server) ?? 0) + 1);
      const drops = current[s].some((server) => !next.includes(server));
      if (this.options.lowDiskMode && drops && additions.length > 0) {
        changes.push({ segment, servers: current[s].filter((server) => next.includes(server)) });
        dropsOnly = true;
      } else if (!sameServers(next, current[s]) || !allReplicasOnline(cluster, segment)) {
        changes.push({ segment, servers: next });
      }
    }
    if (changes.length === 0) return { kind: 'blocked', reason: 'no segment can take a step' };
    return { kind: 'move', label: dropsOnly ? 'pinotDrop' : 'pinotStep', drain: [], changes, enable: [] };
  }

  private nextServers(
    current: readonly ServerIndex[],
    target: readonly ServerIndex[],
    toShed: ReadonlyMap<ServerIndex, number>,
    toGain: ReadonlyMap<ServerIndex, number>,
  ): ServerIndex[] {
    const minAvailable = resolveMinAvailable(this.options.minAvailableReplicas, target.length);
    const next = current.filter((server) => target.includes(server));
    const others = current
      .filter((server) => !target.includes(server))
      .sort((a, b) => (toShed.get(a) ?? 0) - (toShed.get(b) ?? 0) || a - b);
    while (next.length < minAvailable && others.length > 0) next.push(others.shift()!);
    const gaining = target
      .filter((server) => !next.includes(server))
      .sort((a, b) => (toGain.get(b) ?? 0) - (toGain.get(a) ?? 0) || a - b);
    while (next.length < target.length && gaining.length > 0) next.push(gaining.shift()!);
    return next;
  }
}
