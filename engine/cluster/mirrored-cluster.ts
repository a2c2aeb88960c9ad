// The explicit cluster state of the classic shape (seed 004 section 1.2): R replica groups of P
// servers named `server-<group>-<position>`, segments `segment-<i>` round-robin over the positions and
// mirrored across the groups, every replica ONLINE and reported so. Server indexes are replica-group
// major, as Topology numbers them, so the two agree.

import { asServer } from '../ids.js';
import { applyPartitions } from '../placement/instance-partitions.js';
import { ClusterState } from './cluster-state.js';
import type { Topology } from './topology.js';

export interface MirroredClusterOptions {
  /** Zone of the server at a group and position; default: one zone for all. */
  readonly zoneOf?: (group: number, position: number) => string;
  readonly segmentSizeBytes?: number;
  readonly tableName?: string;
}

export function mirroredClusterState(topology: Topology, options: MirroredClusterOptions = {}): ClusterState {
  const cluster = new ClusterState(options.tableName ?? 'table', topology.replicaGroups);
  const zoneOf = options.zoneOf ?? (() => 'default');
  for (let group = 0; group < topology.replicaGroups; group++) {
    for (let position = 0; position < topology.instancesPerGroup; position++) {
      const index = cluster.addServer({ name: topology.serverName(topology.serverAt(group, position)), zone: zoneOf(group, position), pool: 0 });
      if (index !== topology.serverAt(group, position)) throw new Error('server indexes must be replica-group major');
    }
  }
  for (let s = 0; s < topology.segments; s++) cluster.addSegment({ name: `segment-${s}`, sizeBytes: options.segmentSizeBytes ?? 0 });
  const partitions = topology.mirrorServerSets.map((row) => row.map((server) => asServer(server)));
  applyPartitions(cluster, partitions);
  cluster.settle();
  return cluster;
}
