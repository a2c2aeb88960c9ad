// How an imported table's servers map onto the twin's replica groups (issue 7, "Import and export"):
// a scenario names servers `server-<group>-<position>`, so `twin import` must say which real instance
// each one stands for, and in which zone it lives. Under Pinot's replica-group placement the instances
// holding exactly the same segments form a mirror server set (seed 004 section 1.2): each set is a
// position, its instances (by name) the replica groups, so every drain of a zone takes out of each
// segment exactly the replicas it takes out of the real table. A table whose replica sets overlap
// (balanced placement) has no such sets: its instances are laid out group by group in name order,
// and the scenario says the twin's mirrored placement then differs from the table's.

import type { ClusterState } from '../../engine/cluster/cluster-state.js';
import type { SegmentIndex, ServerIndex } from '../../engine/ids.js';

export interface LaidOutServer {
  /** The twin's name for it: `server-<group>-<position>`. */
  readonly server: string;
  /** The Pinot instance it stands for. */
  readonly instance: string;
  readonly zone: string;
}

export interface ImportedLayout {
  readonly numReplicaGroups: number;
  readonly numInstancesPerReplicaGroup: number;
  /** Whether the table's replicas form mirror server sets, so the layout is exactly the table's. */
  readonly mirrored: boolean;
  readonly servers: readonly LaidOutServer[];
  /** Instances that hold no segment of the table: not part of the scenario. */
  readonly idle: readonly string[];
}

export function importedLayout(cluster: ClusterState): ImportedLayout {
  const held: SegmentIndex[][] = Array.from({ length: cluster.serverCount }, () => []);
  for (let s = 0; s < cluster.segmentCount; s++) {
    for (const server of cluster.idealState.instancesOf(s as SegmentIndex).keys()) held[server].push(s as SegmentIndex);
  }
  const holders: ServerIndex[] = [];
  const idle: string[] = [];
  for (let s = 0; s < cluster.serverCount; s++) {
    if (held[s].length > 0) holders.push(s as ServerIndex);
    else idle.push(cluster.serverName(s as ServerIndex));
  }
  const byName = (a: ServerIndex, b: ServerIndex): number => compareNames(cluster.serverName(a), cluster.serverName(b));
  const sets = mirrorSets(cluster, holders, held);
  const replication = cluster.replication;
  const laidOut = (server: ServerIndex, group: number, position: number): LaidOutServer => ({
    server: `server-${group}-${position}`,
    instance: cluster.serverName(server),
    zone: cluster.zoneOf(server),
  });
  if (sets !== null) {
    const servers = sets.flatMap((set, position) => [...set].sort(byName).map((server, group) => laidOut(server, group, position)));
    return { numReplicaGroups: replication, numInstancesPerReplicaGroup: sets.length, mirrored: true, servers: sortByName(servers), idle };
  }
  const perGroup = Math.ceil(holders.length / replication);
  const servers = [...holders].sort(byName).map((server, i) => laidOut(server, Math.floor(i / perGroup), i % perGroup));
  return { numReplicaGroups: replication, numInstancesPerReplicaGroup: perGroup, mirrored: false, servers: sortByName(servers), idle };
}

/**
 * The mirror server sets, ordered by their first segment, when every segment's replicas are exactly
 * the instances holding the same segments as one another, `replication` of them; otherwise null.
 */
function mirrorSets(cluster: ClusterState, holders: readonly ServerIndex[], held: readonly SegmentIndex[][]): ServerIndex[][] | null {
  // A segment on exactly `replication` instances that all hold the same segments: they are its set.
  for (let s = 0; s < cluster.segmentCount; s++) if (cluster.idealState.instancesOf(s as SegmentIndex).size !== cluster.replication) return null;
  const setByKey = new Map<string, ServerIndex[]>();
  for (const server of holders) {
    const key = held[server].join(',');
    let set = setByKey.get(key);
    if (set === undefined) setByKey.set(key, (set = []));
    set.push(server);
  }
  for (const set of setByKey.values()) if (set.length !== cluster.replication) return null;
  return [...setByKey.values()].sort((a, b) => held[a[0]][0] - held[b[0]][0]);
}

/** server-<g>-<p> in group, then position order. */
function sortByName(servers: LaidOutServer[]): LaidOutServer[] {
  const rank = (name: string): [number, number] => {
    const [, group, position] = /^server-(\d+)-(\d+)$/.exec(name)!;
    return [Number(group), Number(position)];
  };
  return servers.sort((a, b) => {
    const [ga, pa] = rank(a.server);
    const [gb, pb] = rank(b.server);
    return ga - gb || pa - pb;
  });
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
