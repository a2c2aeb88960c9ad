// What Pinot's rebalance dry run reports before anything moves (PINOT-REFERENCE.md "Rebalance",
// pre-checks): replicas and bytes to move, servers gaining and losing segments, the most segments
// added to one server, disk use during (a server holding both its current and its new segments) and
// after, and the warnings Pinot prints.

import roaring from 'roaring';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { SegmentIndex, ServerIndex } from '../ids.js';
import { asServer } from '../ids.js';
import { targetByServer, type TargetAssignment } from './rebalance-view.js';

const { RoaringBitmap32 } = roaring;
type RoaringBitmap32 = InstanceType<typeof RoaringBitmap32>;

export interface RebalanceSummary {
  /** Replicas the target adds (each a segment download). */
  readonly segmentsToAdd: number;
  readonly segmentsToDrop: number;
  readonly bytesToMove: number;
  readonly serversGaining: number;
  readonly serversLosing: number;
  readonly serversAdded: number;
  readonly serversRemoved: number;
  readonly maxSegmentsAddedToOneServer: number;
  /** The most bytes any server holds while it has both its current and its added segments. */
  readonly maxDiskBytesDuring: number;
  readonly maxDiskBytesAfter: number;
  /** The most bytes any server holds now. */
  readonly maxDiskBytesBefore: number;
  readonly warnings: readonly string[];
}

/** Pinot warns above this many segments added to one server without batchSizePerServer. */
const MANY_SEGMENTS_WARNING = 200;

export function summarizeRebalance(cluster: ClusterState, target: TargetAssignment, batched = false): RebalanceSummary {
  const wanted = targetByServer(target, cluster.serverCount);
  let segmentsToAdd = 0;
  let segmentsToDrop = 0;
  let bytesToMove = 0;
  let serversGaining = 0;
  let serversLosing = 0;
  let serversAdded = 0;
  let serversRemoved = 0;
  let maxAdded = 0;
  let during = 0;
  let after = 0;
  let before = 0;
  for (let h = 0; h < cluster.serverCount; h++) {
    const server: ServerIndex = asServer(h);
    const held = cluster.idealState.segmentsOf(server);
    const added = RoaringBitmap32.andNot(wanted[h], held);
    const dropped = RoaringBitmap32.andNot(held, wanted[h]);
    const addedBytes = cluster.bytesOf(added);
    segmentsToAdd += added.size;
    segmentsToDrop += dropped.size;
    bytesToMove += addedBytes;
    if (added.size > 0) serversGaining++;
    if (dropped.size > 0) serversLosing++;
    if (held.size === 0 && wanted[h].size > 0) serversAdded++;
    if (held.size > 0 && wanted[h].size === 0) serversRemoved++;
    maxAdded = Math.max(maxAdded, added.size);
    const heldBytes = cluster.bytesOf(held);
    before = Math.max(before, heldBytes);
    during = Math.max(during, heldBytes + addedBytes);
    after = Math.max(after, cluster.bytesOf(wanted[h]));
  }
  const warnings: string[] = [];
  if (!batched && maxAdded > MANY_SEGMENTS_WARNING) {
    warnings.push(`${maxAdded} segments added to one server; consider batchSizePerServer`);
  }
  for (let s = 0; s < target.length; s++) {
    if (target[s].length === 0) warnings.push(`segment ${cluster.segment(s as SegmentIndex).name} has no replica in the target`);
  }
  return {
    segmentsToAdd,
    segmentsToDrop,
    bytesToMove,
    serversGaining,
    serversLosing,
    serversAdded,
    serversRemoved,
    maxSegmentsAddedToOneServer: maxAdded,
    maxDiskBytesDuring: during,
    maxDiskBytesAfter: after,
    maxDiskBytesBefore: before,
    warnings,
  };
}
