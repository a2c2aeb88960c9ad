// Instance partitions and the segment assignment they imply (seed 004 section 1.2, PINOT-REFERENCE.md
// "Placement"): a grid of servers, one row per mirror server set and one column per replica group.
// Segments go round-robin over the rows (with equal segments, the least-loaded row each time) and
// every server of a row holds the row's segments: the mirrored replica-group layout, as one way to
// build an ideal state among others (balanced-assignment.ts).

import type { ClusterState } from '../cluster/cluster-state.js';
import type { SegmentState } from '../cluster/segment-state.js';
import type { SegmentIndex, ServerIndex } from '../ids.js';

/** grid[row][group]: the server at one position of one replica group. */
export type InstancePartitions = readonly (readonly ServerIndex[])[];

/** The row (mirror server set) holding a segment. */
export function rowOfSegment(segment: SegmentIndex, rows: number): number {
  return segment % rows;
}

/** The segments each row holds, for a table of `segments` segments. */
export function segmentsByRow(segments: number, rows: number): SegmentIndex[][] {
  const held: SegmentIndex[][] = Array.from({ length: rows }, () => []);
  for (let s = 0; s < segments; s++) held[rowOfSegment(s as SegmentIndex, rows)].push(s as SegmentIndex);
  return held;
}

/** The ideal state these partitions imply: for each segment, the servers of its row. */
export function assignmentOf(partitions: InstancePartitions, segments: number): ServerIndex[][] {
  const assignment: ServerIndex[][] = [];
  for (let s = 0; s < segments; s++) assignment.push([...partitions[rowOfSegment(s as SegmentIndex, partitions.length)]]);
  return assignment;
}

/** Writes the partitions' replica groups onto the servers and their assignment into the ideal state. */
export function applyPartitions(cluster: ClusterState, partitions: InstancePartitions, state: SegmentState = 'ONLINE'): void {
  partitions.forEach((row) => row.forEach((server, group) => cluster.setReplicaGroup(server, group)));
  assignmentOf(partitions, cluster.segmentCount).forEach((servers, segment) =>
    cluster.idealState.assign(segment as SegmentIndex, servers, state),
  );
}

/**
 * The rows of the segments after the partitions change from their current number of rows to `rows`,
 * moving as few segments as possible: each row keeps its segments up to its even share (the first
 * S mod rows rows take one more), and the rest, with the segments of rows that are gone, fill the
 * rows with room, in order.
 */
export function moveSegmentRows(currentRows: readonly number[], rows: number): number[] {
  const segments = currentRows.length;
  const share = (row: number): number => Math.floor(segments / rows) + (row < segments % rows ? 1 : 0);
  const held = new Array<number>(rows).fill(0);
  const next = new Array<number>(segments).fill(-1);
  const overflow: number[] = [];
  currentRows.forEach((row, segment) => {
    if (row < rows && held[row] < share(row)) {
      held[row]++;
      next[segment] = row;
    } else {
      overflow.push(segment);
    }
  });
  let row = 0;
  for (const segment of overflow) {
    while (held[row] >= share(row)) row++;
    held[row]++;
    next[segment] = row;
  }
  return next;
}
