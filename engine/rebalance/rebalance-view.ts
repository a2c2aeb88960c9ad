// What every rebalance planner reads: the table's ideal state against a target assignment, the
// serving replicas the routing table reports and the servers draining. Planners compute their next
// step from this alone, never from remembered progress, so a job stopped anywhere and started again
// recomputes where it is (seed 004 section 3.3: "resume from where it left off by deterministically
// recomputing the current state").

import roaring from 'roaring';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { SegmentIndex, ServerIndex } from '../ids.js';

const { RoaringBitmap32 } = roaring;
type RoaringBitmap32 = InstanceType<typeof RoaringBitmap32>;

/** For each segment, the servers it should end on (all ONLINE). */
export type TargetAssignment = readonly (readonly ServerIndex[])[];

/** One step's writes: servers to drain first, then each listed segment's new instance list. */
export interface RebalanceMove {
  readonly kind: 'move';
  /** Which rule produced it: a host rebalance, a progress step, one Pinot step, or the naive jump. */
  readonly label: 'hostRebalance' | 'progress' | 'pinotStep' | 'pinotDrop' | 'naive' | 'enable';
  /** Servers whose queries are disabled (and in-flight queries waited for) before the writes. */
  readonly drain: readonly ServerIndex[];
  readonly changes: readonly { readonly segment: SegmentIndex; readonly servers: readonly ServerIndex[] }[];
  /** Servers whose queries are enabled again once the writes have converged. */
  readonly enable: readonly ServerIndex[];
}

export type RebalanceStep = RebalanceMove | { readonly kind: 'done' } | { readonly kind: 'blocked'; readonly reason: string };

export interface RebalancePlanner {
  nextStep(cluster: ClusterState, target: TargetAssignment): RebalanceStep;
}

/** The servers a segment has in the ideal state, in order. */
export function currentServers(cluster: ClusterState, segment: SegmentIndex): ServerIndex[] {
  return [...cluster.idealState.instancesOf(segment).keys()];
}

export function sameServers(a: readonly ServerIndex[], b: readonly ServerIndex[]): boolean {
  return a.length === b.length && a.every((server) => b.includes(server));
}

/** Whether the ideal state already equals the target, every replica ONLINE. */
export function idealStateAtTarget(cluster: ClusterState, target: TargetAssignment): boolean {
  for (let s = 0; s < target.length; s++) {
    const segment = s as SegmentIndex;
    const row = cluster.idealState.instancesOf(segment);
    if (row.size !== target[s].length) return false;
    for (const server of target[s]) if (row.get(server) !== 'ONLINE') return false;
  }
  return true;
}

export function allReplicasOnline(cluster: ClusterState, segment: SegmentIndex): boolean {
  for (const state of cluster.idealState.instancesOf(segment).values()) if (state !== 'ONLINE') return false;
  return true;
}

/** Whether the servers report exactly what the ideal state asks for the given segments (all when omitted). */
export function externalViewConverged(cluster: ClusterState, segments?: Iterable<SegmentIndex>): boolean {
  const check = (segment: SegmentIndex): boolean => {
    const wanted = cluster.idealState.instancesOf(segment);
    const reported = cluster.externalView.instancesOf(segment);
    for (const [server, state] of wanted) if (reported.get(server) !== state) return false;
    for (const server of reported.keys()) if (!wanted.has(server)) return false;
    return true;
  };
  if (segments === undefined) {
    for (let s = 0; s < cluster.segmentCount; s++) if (!check(s as SegmentIndex)) return false;
    return true;
  }
  for (const segment of segments) if (!check(segment)) return false;
  return true;
}

/** Whether a server reports exactly what the ideal state asks of it. */
export function serverConverged(cluster: ClusterState, server: ServerIndex): boolean {
  for (const segment of cluster.idealState.segmentsOf(server)) {
    if (cluster.externalView.get(segment as SegmentIndex, server) !== cluster.idealState.get(segment as SegmentIndex, server)) return false;
  }
  for (const segment of cluster.externalView.segmentsOf(server)) {
    if (cluster.idealState.get(segment as SegmentIndex, server) === undefined) return false;
  }
  return true;
}

/** Per server, the segments the target puts on it. */
export function targetByServer(target: TargetAssignment, servers: number): RoaringBitmap32[] {
  const lists: number[][] = Array.from({ length: servers }, () => []);
  target.forEach((holders, segment) => holders.forEach((server) => lists[server].push(segment)));
  return lists.map((list) => new RoaringBitmap32(list));
}

/** The default of Pinot's minAvailableReplicas (-1: one replica down at most), resolved for R replicas. */
export function resolveMinAvailable(minAvailableReplicas: number, replicas: number): number {
  return minAvailableReplicas < 0 ? Math.max(0, replicas + minAvailableReplicas) : Math.min(minAvailableReplicas, replicas);
}
