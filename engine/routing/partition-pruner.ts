// Pinot's broker-side partition pruning (`PartitionSegmentPruner`, enabled by the table config's
// `routing.segmentPrunerTypes: [partition]`; seed 003 section 4.4, partition-aware routing): a query
// whose filter is an equality or IN predicate on the table's partition column needs only the segments
// holding a partition one of its values falls in. The broker drops the others before it selects
// servers, so the query contacts fewer servers and they do less work. A segment with no partition
// metadata for the column is never pruned; a filter on another column prunes nothing.

import type { ColumnPartitionConfig } from '../cluster/partition-function.js';
import { partitionOf } from '../cluster/partition-function.js';
import type { SegmentIndex } from '../ids.js';

/** A query's EQ / IN predicate: `column IN (values)` (one value: `column = value`). */
export interface PartitionFilter {
  readonly column: string;
  readonly values: readonly number[];
}

/** How a query's segment list changes before routing: pruned by its filter, or kept. */
export interface SegmentPruner {
  /** Segments of the table the pruner knows of (a query with no segment list reads them all). */
  readonly segmentCount: number;
  /** The segments of `segments` (null: the whole table) the filter can match, in their order. */
  prune(segments: readonly SegmentIndex[] | null, filter: PartitionFilter): readonly SegmentIndex[] | null;
}

/**
 * Segment i holds partition i mod numPartitions: a partitioned ingestion writes each segment from one
 * partition, and numbering them partition by partition round-robin spreads each partition evenly.
 */
export function roundRobinSegmentPartitions(segmentCount: number, numPartitions: number): number[][] {
  return Array.from({ length: segmentCount }, (_, segment) => [segment % numPartitions]);
}

export class PartitionSegmentPruner implements SegmentPruner {
  /** Per partition, the segments holding it, in index order (with the unpartitioned ones). */
  private readonly segmentsOfPartition: readonly (readonly SegmentIndex[])[];
  /** Scratch: which partitions the filter being applied matches. */
  private readonly matched: Uint8Array;

  /** `segmentPartitions[s]`: the partitions segment s holds, or null when it has no partition metadata. */
  constructor(
    private readonly config: ColumnPartitionConfig,
    private readonly segmentPartitions: readonly (readonly number[] | null)[],
  ) {
    const lists: SegmentIndex[][] = Array.from({ length: config.numPartitions }, () => []);
    segmentPartitions.forEach((partitions, s) => {
      const segment = s as SegmentIndex;
      if (partitions === null) {
        for (const list of lists) list.push(segment);
        return;
      }
      for (const partition of partitions) {
        if (!Number.isInteger(partition) || partition < 0 || partition >= config.numPartitions) {
          throw new Error(`segment ${s} holds partition ${partition}, outside 0..${config.numPartitions - 1}`);
        }
        const list = lists[partition];
        if (list[list.length - 1] !== segment) list.push(segment);
      }
    });
    this.segmentsOfPartition = lists;
    this.matched = new Uint8Array(config.numPartitions);
  }

  get segmentCount(): number {
    return this.segmentPartitions.length;
  }

  prune(segments: readonly SegmentIndex[] | null, filter: PartitionFilter): readonly SegmentIndex[] | null {
    if (filter.column !== this.config.column) return segments;
    const matched = this.matched;
    matched.fill(0);
    let count = 0;
    let only = -1;
    for (const value of filter.values) {
      const partition = partitionOf(this.config, value);
      if (matched[partition] === 0) {
        matched[partition] = 1;
        count++;
        only = partition;
      }
    }
    // The common case, one partition of the whole table: its list, shared and never written to.
    if (segments === null && count === 1) return this.segmentsOfPartition[only];
    const kept: SegmentIndex[] = [];
    if (segments === null) {
      for (let s = 0; s < this.segmentPartitions.length; s++) if (this.keeps(s as SegmentIndex)) kept.push(s as SegmentIndex);
    } else {
      for (const segment of segments) if (this.keeps(segment)) kept.push(segment);
    }
    return kept;
  }

  /** Whether a segment may hold a row matching the filter whose partitions are in `matched`. */
  private keeps(segment: SegmentIndex): boolean {
    const partitions = this.segmentPartitions[segment];
    if (partitions === null || partitions === undefined) return true; // no metadata (or a segment added since): kept
    for (const partition of partitions) if (this.matched[partition] === 1) return true;
    return false;
  }
}
