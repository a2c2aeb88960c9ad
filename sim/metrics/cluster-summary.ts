// The summary figures of a run with zone drains or rebalances (issue 7, "Results"; seed 004 section
// 3.4): how much of the data queries asked for was served over the run, the worst data missing and
// the tail latency during each drain against the same length of time before it, and for each
// rebalance what it planned (Pinot's dry-run figures, Algorithm 3's moves) and what queries felt while
// it ran. Computed from the query log and the cluster series; deterministic like the rest of the summary.

import type { DrainWindow, RebalanceRecord } from '../cluster/live-cluster.js';
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

export type RebalanceFigures = Omit<RebalanceRecord, 'plan'> & {
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
  /** Of the segments all queries asked for, the fraction a server served. */
  availability: number;
  queriesMissingData: number;
  worstDataMissing: number;
  /** Sampled time with at least one segment no server served, ms. */
  timeWithDataMissingMs: number;
  /** The fewest serving replicas of any segment at any sample. */
  minServingReplicas: number;
  /** Bytes downloaded by the moves. */
  bytesMoved: number;
  drains: DrainFigures[];
  rebalances: RebalanceFigures[];
}

export interface ClusterSummaryInput {
  readonly queries: QueryLog;
  readonly cluster: ClusterLog;
  /** Segments each class's queries ask for, by class index. */
  readonly segmentsPerQuery: readonly number[];
  readonly samplingIntervalMs: number;
  readonly drains: readonly DrainWindow[];
  readonly rebalances: readonly RebalanceRecord[];
  readonly bytesMoved: number;
  readonly durationMs: number;
}

export function summarizeCluster(input: ClusterSummaryInput): ClusterSummary {
  let requested = 0;
  let missing = 0;
  let queriesMissingData = 0;
  let worstDataMissing = 0;
  for (const chunk of input.queries.chunks()) {
    const { class: classOf, segmentsMissing } = chunk.columns;
    for (let row = 0; row < chunk.rows; row++) {
      const asked = input.segmentsPerQuery[classOf[row]];
      requested += asked;
      missing += segmentsMissing[row];
      if (segmentsMissing[row] > 0) {
        queriesMissingData++;
        worstDataMissing = Math.max(worstDataMissing, segmentsMissing[row] / asked);
      }
    }
  }
  const samples = input.cluster.table;
  const unavailable = samples.column('segmentsUnavailable');
  const minServing = samples.column('minServingReplicas');
  let sampledMissing = 0;
  let fewest = Infinity;
  for (let i = 0; i < samples.length; i++) {
    if (unavailable[i] > 0) sampledMissing++;
    fewest = Math.min(fewest, minServing[i]);
  }
  const drains = input.drains.map((drain) => ({ ...drain, ...windowFigures(input, drain.startMs, drain.endMs) }));
  const rebalances = input.rebalances.map((record) => rebalanceFigures(input, record));
  return {
    availability: roundFigure(requested === 0 ? 1 : 1 - missing / requested),
    queriesMissingData,
    worstDataMissing: roundFigure(worstDataMissing),
    timeWithDataMissingMs: sampledMissing * input.samplingIntervalMs,
    minServingReplicas: fewest === Infinity ? 0 : fewest,
    bytesMoved: input.bytesMoved,
    drains,
    rebalances,
  };
}

function rebalanceFigures(input: ClusterSummaryInput, record: RebalanceRecord): RebalanceFigures {
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
    const { arrivalMs: arrival, latencyMs: latency, class: classOf, segmentsMissing } = chunk.columns;
    for (let row = 0; row < chunk.rows; row++) {
      const tick = arrival[row];
      if (tick >= beforeTick && tick < startTick) before.add(latency[row]);
      if (tick < startTick || tick >= endTick) continue;
      during.add(latency[row]);
      if (segmentsMissing[row] > 0) {
        queriesMissingData++;
        worstDataMissing = Math.max(worstDataMissing, segmentsMissing[row] / input.segmentsPerQuery[classOf[row]]);
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
