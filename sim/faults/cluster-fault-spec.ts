// The cluster-level faults and operations of a run, compiled (issue 7): a maintenance-zone drain and
// a rebalance, with times in ms and each fault's index in the scenario's `faults` list (events and
// the summary name them by it). Server faults (slow server, GC pause) are FaultSpec in
// fault-injector.ts; these act on the cluster state instead of one executor.

import type { PlacementPolicy } from '../../engine/placement/instance-assignment.js';
import type { SegmentLoaderSpec } from '../cluster/segment-loader.js';

export type RebalanceStrategyName = 'impactFree' | 'pinot' | 'naive';

/** How a fault that changes the instance assignment computes it and moves the data (Pinot's rebalance keys). */
export interface MoveSpec {
  readonly placement: PlacementPolicy;
  readonly strategy: RebalanceStrategyName;
  readonly minAvailableReplicas: number;
  readonly downtime: boolean;
  readonly bestEfforts: boolean;
  readonly lowDiskMode: boolean;
  readonly batchSizePerServer: number;
  readonly checkIntervalMs: number;
  readonly timeoutMs: number;
}

export type ClusterFaultSpec =
  | { readonly kind: 'zoneDrain'; readonly index: number; readonly zone: string; readonly startMs: number; readonly endMs: number; readonly planned: boolean }
  | {
      readonly kind: 'zoneMaintenance';
      readonly index: number;
      readonly startMs: number;
      readonly endMs: number;
      readonly everyMs: number;
      readonly lengthMs: number;
      readonly planned: boolean;
    }
  | { readonly kind: 'rebalance'; readonly index: number; readonly startMs: number; readonly move: MoveSpec }
  | { readonly kind: 'scale'; readonly index: number; readonly startMs: number; readonly instancesPerGroup: number; readonly move: MoveSpec }
  | {
      readonly kind: 'scaleEvents';
      readonly index: number;
      readonly startMs: number;
      readonly endMs: number;
      readonly eventsPerDay: number;
      readonly instancesPerEvent: number;
      readonly minInstancesPerGroup: number;
      readonly maxInstancesPerGroup: number;
      readonly move: MoveSpec;
    }
  | {
      readonly kind: 'nodeChurn';
      readonly index: number;
      readonly startMs: number;
      readonly endMs: number;
      readonly failuresPerServerPerDay: number;
      readonly replacementDelayMs: number;
      readonly move: MoveSpec;
    };

export type ServerZoneLayout = 'interleaved' | 'byReplicaGroup' | 'random';

/** The zones servers live in, and what moving a segment costs. */
export interface PlacementSpec {
  /** Zone names; empty: one zone, `default`. */
  readonly zones: readonly string[];
  readonly serverZones: ServerZoneLayout;
  /** Zones given server by server (by server index), overriding the layout for them. */
  readonly listedZones: ReadonlyMap<number, string>;
  /** Most servers one zone may have beyond the least populated one when a new node comes up. */
  readonly maxSkew: number;
  /** Instances per replica group at the start (scale faults add servers as they join). */
  readonly initialInstancesPerGroup: number;
  readonly segmentSizeBytes: number;
  readonly loader: SegmentLoaderSpec;
  /** What loading takes from a server's queries: its threads' progress probability during an index build, and for a window after a load. */
  readonly loadCost: LoadCostSpec;
}

export interface LoadCostSpec {
  readonly indexBuildProgressProbability: number;
  readonly afterLoadProgressProbability: number;
  readonly afterLoadWindowMs: number;
}

export const DEFAULT_ZONE = 'default';

/**
 * The zone of every server, by server index (replica-group major: group * instances + position).
 * interleaved: each mirror server set round-robin over the zones; byReplicaGroup: group g in zone
 * g mod Z; random: the zones in equal shares (seed 004 section 3.2, assumption 1: an even
 * distribution across zones is maintained) shuffled over the servers with `draw`, a uniform [0, 1).
 */
export function serverZones(zones: readonly string[], layout: ServerZoneLayout, replicaGroups: number, instancesPerGroup: number, draw: () => number): string[] {
  const count = replicaGroups * instancesPerGroup;
  if (zones.length === 0) return new Array<string>(count).fill(DEFAULT_ZONE);
  const out: string[] = [];
  for (let server = 0; server < count; server++) {
    const group = Math.floor(server / instancesPerGroup);
    const position = server % instancesPerGroup;
    out.push(layout === 'byReplicaGroup' ? zones[group % zones.length] : zones[(position * replicaGroups + group) % zones.length]);
  }
  if (layout === 'random') {
    for (let i = count - 1; i > 0; i--) {
      const j = Math.min(i, Math.floor(draw() * (i + 1)));
      [out[i], out[j]] = [out[j], out[i]];
    }
  }
  return out;
}
