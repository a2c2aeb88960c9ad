// The routing table brokers read (seed 003 section 3.3.2, PINOT-REFERENCE.md "Segment states"): for
// each segment, the servers that may serve it, i.e. whose replica is ONLINE or CONSUMING both in the
// ideal state and in the external view and that take queries (running, queries enabled). Segments
// with the same serving servers form a unit; under mirrored replica-group placement a unit is a
// mirror server set (seed 004 section 1.2), under balanced placement replica sets overlap and units
// are smaller. A table is immutable and carries the cluster-state version it was derived from, so a
// broker can tell when to refresh.

import roaring from 'roaring';
import type { SegmentIndex, ServerIndex } from '../ids.js';
import type { ClusterState } from './cluster-state.js';
import { isServingState } from './segment-state.js';

const { RoaringBitmap32 } = roaring;
type RoaringBitmap32 = InstanceType<typeof RoaringBitmap32>;

/** unitOfSegment's answer for a segment no server serves. */
export const NO_UNIT = -1;

export class RoutingTable {
  /** For each unit, its serving servers ordered by replica group (those in none last), then index. */
  readonly unitServers: readonly (readonly ServerIndex[])[];
  /** For each unit, its segments in index order. */
  readonly unitSegments: readonly (readonly SegmentIndex[])[];
  /** Segments with no serving replica: a query reading them misses data. */
  readonly unavailableSegments: readonly SegmentIndex[];

  private constructor(
    readonly version: number,
    readonly segmentCount: number,
    private readonly unitOf: Int32Array,
    unitServers: ServerIndex[][],
    unitSegments: SegmentIndex[][],
    unavailable: SegmentIndex[],
    private readonly servingByServer: readonly RoaringBitmap32[],
    private readonly groupOf: readonly number[],
  ) {
    this.unitServers = unitServers;
    this.unitSegments = unitSegments;
    this.unavailableSegments = unavailable;
  }

  static derive(cluster: ClusterState, version: number): RoutingTable {
    const segments = cluster.segmentCount;
    const unitOf = new Int32Array(segments).fill(NO_UNIT);
    const unitByKey = new Map<string, number>();
    const unitServers: ServerIndex[][] = [];
    const unitSegments: SegmentIndex[][] = [];
    const unavailable: SegmentIndex[] = [];
    const groupOf: number[] = [];
    for (let s = 0; s < cluster.serverCount; s++) groupOf.push(cluster.replicaGroupOf(s as ServerIndex));
    const serving: SegmentIndex[][] = Array.from({ length: cluster.serverCount }, () => []);
    const replicas: ServerIndex[] = [];
    for (let i = 0; i < segments; i++) {
      const segment = i as SegmentIndex;
      replicas.length = 0;
      for (const [server, state] of cluster.idealState.instancesOf(segment)) {
        if (isServingState(state) && isServingState(cluster.externalView.get(segment, server)) && cluster.takesQueries(server)) {
          replicas.push(server);
        }
      }
      if (replicas.length === 0) {
        unavailable.push(segment);
        continue;
      }
      replicas.sort((a, b) => groupRank(groupOf[a]) - groupRank(groupOf[b]) || a - b);
      const key = replicas.join(',');
      let unit = unitByKey.get(key);
      if (unit === undefined) {
        unit = unitServers.length;
        unitByKey.set(key, unit);
        unitServers.push([...replicas]);
        unitSegments.push([]);
      }
      unitOf[segment] = unit;
      unitSegments[unit].push(segment);
      for (const server of replicas) serving[server].push(segment);
    }
    const bitmaps = serving.map((list) => new RoaringBitmap32(list));
    return new RoutingTable(version, segments, unitOf, unitServers, unitSegments, unavailable, bitmaps, groupOf);
  }

  get unitCount(): number {
    return this.unitServers.length;
  }

  /** The unit serving a segment, or NO_UNIT when no server serves it. */
  unitOfSegment(segment: SegmentIndex): number {
    return this.unitOf[segment];
  }

  /** The servers serving a segment (empty when none). */
  replicasOf(segment: SegmentIndex): readonly ServerIndex[] {
    const unit = this.unitOf[segment];
    return unit === NO_UNIT ? [] : this.unitServers[unit];
  }

  /** The server of a replica group within a unit, or undefined when that group serves none of it. */
  serverOfGroup(unit: number, group: number): ServerIndex | undefined {
    return this.unitServers[unit].find((server) => this.groupOf[server] === group);
  }

  /** The segments a server serves now. Do not mutate. */
  servingSegmentsOf(server: ServerIndex): RoaringBitmap32 {
    return this.servingByServer[server] ?? EMPTY;
  }

  /** The fewest serving replicas of any segment (0 when one has none). */
  minServingReplicas(): number {
    if (this.unavailableSegments.length > 0 || this.segmentCount === 0) return 0;
    let min = Infinity;
    for (const servers of this.unitServers) min = Math.min(min, servers.length);
    return min;
  }
}

const EMPTY = new RoaringBitmap32();

/** Servers in no replica group come after those in one. */
function groupRank(group: number): number {
  return group < 0 ? Number.MAX_SAFE_INTEGER : group;
}
