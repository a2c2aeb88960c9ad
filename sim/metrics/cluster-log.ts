// One row per sampling interval for the table as a whole (issue 7, "Results"): segments with no
// serving replica, the fewest serving replicas of any segment, bytes moving, hosts by state, and the
// queries that ended in the interval with data missing. Declared once in CLUSTER_TABLE (see
// columnar-table.ts); written to cluster.arrow by runs with a zone drain or a rebalance.

import { ColumnarTable, integer, stored, type TableDecl, ticksAsMs } from './columnar-table.js';

export interface ClusterRecord {
  tick: number;
  segmentsUnavailable: number;
  minServingReplicas: number;
  bytesMoving: number;
  serversServing: number;
  serversDownloading: number;
  serversDraining: number;
  serversDown: number;
  queriesEnded: number;
  queriesMissingData: number;
  routingVersion: number;
}

export const CLUSTER_TABLE = {
  file: 'cluster.arrow',
  columns: {
    tMs: ticksAsMs((c) => c.tick, 'Time of the sample, in ms.'),
    segmentsUnavailable: integer('uint32', (c) => c.segmentsUnavailable, 'Segments no server serves: a query needing one misses data.'),
    minServingReplicas: integer('uint16', (c) => c.minServingReplicas, 'The fewest serving replicas of any segment (0 when one has none).'),
    bytesMoving: stored('float64', (c) => c.bytesMoving, { as: 'float64' }, 'Bytes of segment downloads under way.'),
    serversServing: integer('uint32', (c) => c.serversServing, 'Servers in state serving (see hosts.arrow).'),
    serversDownloading: integer('uint32', (c) => c.serversDownloading, 'Servers in state downloading.'),
    serversDraining: integer('uint32', (c) => c.serversDraining, 'Servers in state draining.'),
    serversDown: integer('uint32', (c) => c.serversDown, 'Servers in state down.'),
    queriesEnded: integer('uint32', (c) => c.queriesEnded, 'Queries that ended since the previous sample.'),
    queriesMissingData: integer('uint32', (c) => c.queriesMissingData, 'Of those, queries with at least one segment no server served (partial data).'),
    routingVersion: integer('uint32', (c) => c.routingVersion, 'Version of the cluster state the routing table is derived from; it changes with every assignment or host change.'),
  },
} as const satisfies TableDecl<ClusterRecord>;

export class ClusterLog {
  readonly table = new ColumnarTable<ClusterRecord>(CLUSTER_TABLE);

  add(record: ClusterRecord): void {
    this.table.add(record);
  }

  get length(): number {
    return this.table.length;
  }
}
