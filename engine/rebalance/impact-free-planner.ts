// Seed 004 section 3.3, Algorithm 4: impact-free rebalance. A host rebalancing step drains a host's
// queries, waits for its in-flight queries, gives it its whole target at once (adds and drops), waits
// for the downloads and re-enables it; hosts with the largest difference between current and target
// go first, as many in one step as stay safe: no segment served by the drained hosts may fall below
// the minimum serving replicas. When no host is safe, a progress step adds a small batch of segments
// (fewest serving replicas first) to the hosts that need them, without draining; when nothing is left
// to add, a drop step removes replicas the target does not keep, where that stays safe.
//
// Everything is recomputed from the cluster state: a host whose queries are disabled is one a previous
// step (of this job or of a killed one) drained, so it is finished first.

import type { ClusterState } from '../cluster/cluster-state.js';
import type { SegmentIndex, ServerIndex } from '../ids.js';
import { asServer } from '../ids.js';
import { resolveMinAvailable, targetByServer, type RebalanceMove, type RebalancePlanner, type RebalanceStep, type TargetAssignment } from './rebalance-view.js';

export interface ImpactFreeOptions {
  /** Serving replicas every segment keeps; negative: R + it (default -1, single-replica headroom). */
  readonly minServingReplicas: number;
  /** Segments a progress step adds (a table's regular daily push); default 1 % of the segments, at least 1. */
  readonly progressStepSegments: number;
  /** Most hosts drained in one step; 0: as many as stay safe. */
  readonly maxHostsPerStep: number;
}

export const IMPACT_FREE_DEFAULTS: ImpactFreeOptions = { minServingReplicas: -1, progressStepSegments: 0, maxHostsPerStep: 0 };

export class ImpactFreePlanner implements RebalancePlanner {
  constructor(private readonly options: ImpactFreeOptions = IMPACT_FREE_DEFAULTS) {}

  nextStep(cluster: ClusterState, target: TargetAssignment): RebalanceStep {
    const wanted = targetByServer(target, cluster.serverCount);
    const hosts: ServerIndex[] = [];
    const differences: number[] = [];
    for (let h = 0; h < cluster.serverCount; h++) {
      const server = asServer(h);
      const held = cluster.idealState.segmentsOf(server);
      const difference = held.andNotCardinality(wanted[h]) + wanted[h].andNotCardinality(held) + this.notOnline(cluster, server);
      differences.push(difference);
      if (difference > 0) hosts.push(server);
    }
    const drained = [];
    for (let h = 0; h < cluster.serverCount; h++) if (!cluster.isQueryable(asServer(h))) drained.push(asServer(h));
    if (drained.length > 0) return this.hostStep(cluster, target, wanted, drained);
    if (hosts.length === 0) return { kind: 'done' };

    const routing = cluster.routingTable();
    const minServing = resolveMinAvailable(this.options.minServingReplicas, cluster.replication);
    const lost = new Map<number, number>();
    const chosen: ServerIndex[] = [];
    hosts.sort((a, b) => differences[b] - differences[a] || a - b);
    const limit = this.options.maxHostsPerStep > 0 ? this.options.maxHostsPerStep : Infinity;
    for (const host of hosts) {
      if (chosen.length >= limit) break;
      const served = routing.servingSegmentsOf(host).toArray();
      const safe = served.every((segment) => routing.replicasOf(segment as SegmentIndex).length - (lost.get(segment) ?? 0) - 1 >= minServing);
      if (!safe) continue;
      chosen.push(host);
      for (const segment of served) lost.set(segment, (lost.get(segment) ?? 0) + 1);
    }
    if (chosen.length > 0) return this.hostStep(cluster, target, wanted, chosen);
    return this.progressStep(cluster, target, hosts) ?? this.dropStep(cluster, target, hosts, minServing);
  }

  /** Replicas of the server the ideal state holds in another state than ONLINE. */
  private notOnline(cluster: ClusterState, server: ServerIndex): number {
    let count = 0;
    for (const segment of cluster.idealState.segmentsOf(server)) {
      if (cluster.idealState.get(segment as SegmentIndex, server) !== 'ONLINE') count++;
    }
    return count;
  }

  /** Drains the hosts, gives each its whole target, re-enables them once loaded. */
  private hostStep(cluster: ClusterState, target: TargetAssignment, wanted: ReturnType<typeof targetByServer>, hosts: ServerIndex[]): RebalanceMove {
    const touched = new Set<number>();
    for (const host of hosts) {
      for (const segment of cluster.idealState.segmentsOf(host)) touched.add(segment);
      for (const segment of wanted[host]) touched.add(segment);
    }
    const chosen = new Set(hosts);
    const changes = [...touched]
      .sort((a, b) => a - b)
      .map((s) => {
        const segment = s as SegmentIndex;
        const kept = [...cluster.idealState.instancesOf(segment).keys()].filter((server) => !chosen.has(server));
        return { segment, servers: [...kept, ...target[s].filter((server) => chosen.has(server))] };
      });
    return { kind: 'move', label: 'hostRebalance', drain: hosts, changes, enable: hosts };
  }

  /** Adds a batch of missing replicas, segments with the fewest serving replicas first. */
  private progressStep(cluster: ClusterState, target: TargetAssignment, hosts: readonly ServerIndex[]): RebalanceMove | null {
    const routing = cluster.routingTable();
    const missing: SegmentIndex[] = [];
    for (let s = 0; s < target.length; s++) {
      const row = cluster.idealState.instancesOf(s as SegmentIndex);
      if (target[s].some((server) => !row.has(server))) missing.push(s as SegmentIndex);
    }
    if (missing.length === 0) return null;
    const batch = this.options.progressStepSegments > 0 ? this.options.progressStepSegments : Math.max(1, Math.ceil(target.length / 100));
    missing.sort((a, b) => routing.replicasOf(a).length - routing.replicasOf(b).length || a - b);
    const changes = missing.slice(0, batch).map((segment) => {
      const row = [...cluster.idealState.instancesOf(segment).keys()];
      return { segment, servers: [...row, ...target[segment].filter((server) => !row.includes(server) && hosts.includes(server))] };
    });
    return { kind: 'move', label: 'progress', drain: [], changes, enable: [] };
  }

  /** With every target replica added, drops the replicas the target does not keep where that stays safe. */
  private dropStep(cluster: ClusterState, target: TargetAssignment, hosts: readonly ServerIndex[], minServing: number): RebalanceStep {
    const routing = cluster.routingTable();
    const changes: RebalanceMove['changes'][number][] = [];
    for (let s = 0; s < target.length; s++) {
      const segment = s as SegmentIndex;
      const row = [...cluster.idealState.instancesOf(segment).keys()];
      const extra = row.filter((server) => !target[s].includes(server) && hosts.includes(server));
      if (extra.length === 0) continue;
      const serving = routing.replicasOf(segment);
      let remaining = serving.length;
      const dropped = extra.filter((server) => {
        if (!serving.includes(server)) return true;
        if (remaining - 1 < minServing) return false;
        remaining--;
        return true;
      });
      if (dropped.length > 0) changes.push({ segment, servers: row.filter((server) => !dropped.includes(server)) });
    }
    if (changes.length === 0) return { kind: 'blocked', reason: `no host can be drained without a segment falling below ${minServing} serving replicas` };
    return { kind: 'move', label: 'progress', drain: [], changes, enable: [] };
  }
}
