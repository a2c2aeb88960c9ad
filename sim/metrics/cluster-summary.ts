// The summary figures of a run with cluster faults (issue 7, "Results"; seed 004 section 3.4): how
// much of the data queries asked for was served, and for how much of the time every segment had a
// serving replica; the worst data missing and the tail latency during each drain against the same
// length of time before it; for each rebalance or scale event what it planned (Pinot's dry-run
// figures, Algorithm 3's moves) and what queries felt while it ran; node churn and the moves its
// repairs needed. Computed from the query log, the cluster series and the live cluster's records;
// deterministic like the rest of the summary.

import type { AvailabilityFigures } from '../cluster/availability-meter.js';
import type { ChurnFigures, DrainWindow, MoveRecord } from '../cluster/live-cluster.js';
import type { ClusterLog } from './cluster-log.js';
import { LatencyHistogram, roundFigure } from './latency-stats.js';
import type { QueryLog } from './query-log.js';
import { msToTicks, ticksToMs } from '../scheduler/scheduler.js';

export interface WindowFigures {
  queries: number;
  /** Queries with at least one segment no server served. */
  queriesMissingData: number;
  /** The largest fraction of its segments one query missed. */
  worstDataMissing: number;
  p99Ms: number | null;
  /** p99 of the queries that arrived in the same length of time just before the window. */
  p99BeforeMs: number | null;
}

export type DrainFigures = DrainWindow & WindowFigures;

export type MoveFigures = Omit<MoveRecord, 'plan'> & {
  segmentsToAdd: number;
  segmentsToDrop: number;
  bytesToMove: number;
  maxSegmentsAddedToOneServer: number;
  /** The most bytes one server held beyond what it holds before and after (both sets on disk). */
  peakExtraBytesOnOneServer: number;
  durationMs: number | null;
  /** The fewest serving replicas of any segment sampled while the job ran. */
  minServingReplicasDuring: number;
} & WindowFigures;

export interface ClusterSummary {
  /** Of the segments all queries asked for, the fraction a server served (1 without queries). */
  availability: number;
  /** Time-weighted fraction of the table's segments with a serving replica. */
  segmentAvailability: number;
  queriesMissingData: number;
  worstDataMissing: number;
  /** Time with at least one segment no server served, ms. */
  timeWithDataMissingMs: number;
  /** The fewest serving replicas of any segment at any time. */
  minServingReplicas: number;
  /** Bytes downloaded by moves and bootstraps. */
  bytesMoved: number;
  drains: DrainFigures[];
  moves: MoveFigures[];
  churn: ChurnFigures;
}

export interface ClusterSummaryInput {
  readonly queries: QueryLog;
  readonly cluster: ClusterLog;
  /** Segments each class's queries ask for before partition pruning, by class index. */
  readonly segmentsPerQuery: readonly number[];
  readonly drains: readonly DrainWindow[];
  readonly moves: readonly MoveRecord[];
  readonly churn: ChurnFigures;
  readonly availability: AvailabilityFigures;
  readonly bytesMoved: number;
  readonly durationMs: number;
}

export function summarizeCluster(input: ClusterSummaryInput): ClusterSummary {
  let requested = 0;
  let missing = 0;
  let queriesMissingData = 0;
  let worstDataMissing = 0;
  for (const chunk of input.queries.chunks()) {
    const { class: classOf, segmentsMissing, segmentsPruned } = chunk.columns;
    for (let row = 0; row < chunk.rows; row++) {
      const asked = input.segmentsPerQuery[classOf[row]] - segmentsPruned[row];
      requested += asked;
      missing += segmentsMissing[row];
      if (segmentsMissing[row] > 0) {
        queriesMissingData++;
        worstDataMissing = Math.max(worstDataMissing, segmentsMissing[row] / asked);
      }
    }
  }
  const drains = input.drains.map((drain) => ({ ...drain, ...windowFigures(input, drain.startMs, drain.endMs) }));
  const moves = input.moves.map((record) => moveFigures(input, record));
  return {
    availability: roundFigure(requested === 0 ? 1 : 1 - missing / requested),
    // Seven decimals: availability is read in nines.
    segmentAvailability: Math.round(input.availability.segmentAvailability * 1e7) / 1e7,
    queriesMissingData,
    worstDataMissing: roundFigure(worstDataMissing),
    timeWithDataMissingMs: roundFigure(input.availability.timeWithDataMissingMs),
    minServingReplicas: input.availability.minServingReplicas,
    bytesMoved: input.bytesMoved,
    drains,
    moves,
    churn: { ...input.churn, maxDailyChurn: roundFigure(input.churn.maxDailyChurn) },
  };
}

function moveFigures(input: ClusterSummaryInput, record: MoveRecord): MoveFigures {
  const { plan, ...rest } = record;
  const endMs = record.doneAtMs ?? input.durationMs;
  const times = input.cluster.table.column('tMs');
  const minServing = input.cluster.table.column('minServingReplicas');
  let fewest = Infinity;
  for (let i = 0; i < times.length; i++) {
    const atMs = ticksToMs(times[i]);
    if (atMs >= record.startMs && atMs <= endMs) fewest = Math.min(fewest, minServing[i]);
  }
  return {
    ...rest,
    segmentsToAdd: plan.segmentsToAdd,
    segmentsToDrop: plan.segmentsToDrop,
    bytesToMove: plan.bytesToMove,
    maxSegmentsAddedToOneServer: plan.maxSegmentsAddedToOneServer,
    peakExtraBytesOnOneServer: Math.max(0, plan.maxDiskBytesDuring - Math.max(plan.maxDiskBytesBefore, plan.maxDiskBytesAfter)),
    durationMs: record.doneAtMs === null ? null : record.doneAtMs - record.startMs,
    minServingReplicasDuring: fewest === Infinity ? 0 : fewest,
    ...windowFigures(input, record.startMs, endMs),
  };
}

/** Figures of the queries that arrived in [startMs, endMs), and the p99 of the same span just before. */
function windowFigures(input: ClusterSummaryInput, startMs: number, endMs: number): WindowFigures {
  const startTick = msToTicks(startMs);
  const endTick = msToTicks(endMs);
  const beforeTick = Math.max(0, startTick - (endTick - startTick));
  const during = new LatencyHistogram();
  const before = new LatencyHistogram();
  let queriesMissingData = 0;
  let worstDataMissing = 0;
  for (const chunk of input.queries.chunks()) {
    const { arrivalMs: arrival, latencyMs: latency, class: classOf, segmentsMissing, segmentsPruned } = chunk.columns;
    for (let row = 0; row < chunk.rows; row++) {
      const tick = arrival[row];
      if (tick >= beforeTick && tick < startTick) before.add(latency[row]);
      if (tick < startTick || tick >= endTick) continue;
      during.add(latency[row]);
      if (segmentsMissing[row] > 0) {
        queriesMissingData++;
        worstDataMissing = Math.max(worstDataMissing, segmentsMissing[row] / (input.segmentsPerQuery[classOf[row]] - segmentsPruned[row]));
      }
    }
  }
  return {
    queries: during.count,
    queriesMissingData,
    worstDataMissing: roundFigure(worstDataMissing),
    p99Ms: during.quantileMs(0.99),
    p99BeforeMs: before.quantileMs(0.99),
  };
}
