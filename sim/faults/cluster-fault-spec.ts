// The cluster-level faults and operations of a run, compiled (issue 7): a maintenance-zone drain and
// a rebalance, with times in ms and each fault's index in the scenario's `faults` list (events and
// the summary name them by it). Server faults (slow server, GC pause) are FaultSpec in
// fault-injector.ts; these act on the cluster state instead of one executor.

import type { PlacementPolicy } from '../../engine/placement/instance-assignment.js';
import type { SegmentLoaderSpec } from '../cluster/segment-loader.js';

export type RebalanceStrategyName = 'impactFree' | 'pinot' | 'naive';

export type ClusterFaultSpec =
  | {
      readonly kind: 'zoneDrain';
      readonly index: number;
      readonly zone: string;
      readonly startMs: number;
      readonly endMs: number;
      readonly planned: boolean;
    }
  | {
      readonly kind: 'rebalance';
      readonly index: number;
      readonly startMs: number;
      readonly placement: PlacementPolicy;
      readonly strategy: RebalanceStrategyName;
      readonly minAvailableReplicas: number;
      readonly downtime: boolean;
      readonly bestEfforts: boolean;
      readonly lowDiskMode: boolean;
      readonly batchSizePerServer: number;
      readonly checkIntervalMs: number;
      readonly timeoutMs: number;
    };

export type ServerZoneLayout = 'interleaved' | 'byReplicaGroup' | 'random';

/** The zones servers live in, and what moving a segment costs. */
export interface PlacementSpec {
  /** Zone names; empty: one zone, `default`. */
  readonly zones: readonly string[];
  readonly serverZones: ServerZoneLayout;
  readonly segmentSizeBytes: number;
  readonly loader: SegmentLoaderSpec;
}

export const DEFAULT_ZONE = 'default';

/**
 * The zone of every server, by server index (replica-group major: group * instances + position).
 * interleaved: each mirror server set round-robin over the zones; byReplicaGroup: group g in zone
 * g mod Z; random: the zones in equal shares (seed 004 section 3.2, assumption 1: an even
 * distribution across zones is maintained) shuffled over the servers with `draw`, a uniform [0, 1).
 */
export function serverZones(spec: PlacementSpec, replicaGroups: number, instancesPerGroup: number, draw: () => number): string[] {
  const zones = spec.zones;
  const count = replicaGroups * instancesPerGroup;
  if (zones.length === 0) return new Array<string>(count).fill(DEFAULT_ZONE);
  const out: string[] = [];
  for (let server = 0; server < count; server++) {
    const group = Math.floor(server / instancesPerGroup);
    const position = server % instancesPerGroup;
    out.push(spec.serverZones === 'byReplicaGroup' ? zones[group % zones.length] : zones[(position * replicaGroups + group) % zones.length]);
  }
  if (spec.serverZones === 'random') {
    for (let i = count - 1; i > 0; i--) {
      const j = Math.min(i, Math.floor(draw() * (i + 1)));
      [out[i], out[j]] = [out[j], out[i]];
    }
  }
  return out;
}
