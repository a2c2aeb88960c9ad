// A rebalance plan as the sequence of ideal states it writes, each a Helix ZNRecord as Pinot stores a
// table's ideal state in ZooKeeper: `mapFields` from segment name to instance name to state. The first
// record is the ideal state before the job, then one per step in the order the job wrote them.

import type { ClusterState } from '../../engine/cluster/cluster-state.js';
import type { SegmentIndex } from '../../engine/ids.js';
import type { RebalanceJobEvent } from '../../engine/rebalance/rebalance-job.js';

export interface ZnRecord {
  readonly id: string;
  readonly simpleFields: Record<string, string>;
  readonly mapFields: Record<string, Record<string, string>>;
  readonly listFields: Record<string, string[]>;
}

/** The ideal state now, as a ZNRecord. */
export function idealStateRecord(cluster: ClusterState, id: string): ZnRecord {
  // Built from entries, never by assignment: a name such as `__proto__` stays a key of its own.
  const rows: [string, Record<string, string>][] = [];
  for (let s = 0; s < cluster.segmentCount; s++) {
    const replicas = [...cluster.idealState.instancesOf(s as SegmentIndex)].map(([server, state]): [string, string] => [cluster.serverName(server), state]);
    rows.push([cluster.segment(s as SegmentIndex).name, Object.fromEntries(replicas)]);
  }
  const mapFields = Object.fromEntries(rows);
  return { id, simpleFields: { NUM_PARTITIONS: String(cluster.segmentCount), REPLICAS: String(cluster.replication), STATE_MODEL_DEF_REF: 'SegmentOnlineOfflineStateModel' }, mapFields, listFields: {} };
}

/** Replays the job's steps onto `cluster` (changed in place) and returns the ideal state after each. */
export function idealStateRecords(cluster: ClusterState, events: readonly RebalanceJobEvent[], id: string): ZnRecord[] {
  const records = [idealStateRecord(cluster, id)];
  for (const event of events) {
    if (event.kind !== 'step' || event.step.changes.length === 0) continue;
    for (const { segment, servers } of event.step.changes) cluster.idealState.assign(segment, servers, 'ONLINE');
    records.push(idealStateRecord(cluster, id));
  }
  return records;
}
