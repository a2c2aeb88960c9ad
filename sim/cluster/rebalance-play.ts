// Plays a scale-out rebalance against live traffic (seed 004 section 3.3; issue 7): the scenario's
// cluster runs with extra servers per replica group that hold nothing yet; at the given time a
// rebalance job (impact-free, Pinot stepwise or naive) moves the table to the mirrored layout over all
// servers, segments downloading at the deep store's bandwidth (segment-loader.ts). Queries keep
// arriving throughout; what they felt is measured beside the job's own figures. A job may be killed
// midway and a new one started later: it recomputes where it is from the cluster state.

import { ClusterState } from '../../engine/cluster/cluster-state.js';
import type { Topology } from '../../engine/cluster/topology.js';
import { asServer, type SegmentIndex, type ServerIndex } from '../../engine/ids.js';
import { applyPartitions, moveSegmentRows, rowOfSegment } from '../../engine/placement/instance-partitions.js';
import { ImpactFreePlanner } from '../../engine/rebalance/impact-free-planner.js';
import { NaivePlanner } from '../../engine/rebalance/naive-planner.js';
import { PinotPlanner, PINOT_REBALANCE_DEFAULTS } from '../../engine/rebalance/pinot-planner.js';
import { RebalanceJob, REBALANCE_JOB_DEFAULTS, type RebalanceJobEvent } from '../../engine/rebalance/rebalance-job.js';
import { summarizeRebalance, type RebalanceSummary } from '../../engine/rebalance/rebalance-summary.js';
import type { RebalancePlanner, TargetAssignment } from '../../engine/rebalance/rebalance-view.js';
import type { RunSpec } from '../run/run-spec.js';
import { simulate } from '../run/simulation.js';
import { SegmentLoader, type SegmentLoaderSpec } from './segment-loader.js';
import { loadCostListener } from './load-cost.js';

export const REBALANCE_STRATEGIES = ['impactFree', 'pinot', 'naive'] as const;
export type RebalanceStrategy = (typeof REBALANCE_STRATEGIES)[number];

export interface PlaySpec {
  readonly strategy: RebalanceStrategy;
  /** Instances per replica group before the scale-out; the run spec has the count after it. */
  readonly rowsBefore: number;
  readonly segmentSizeBytes: number;
  readonly startMs: number;
  readonly loader: SegmentLoaderSpec;
  /** Kill the job at this time and start a new one restartDelayMs later (null: never). */
  readonly killAtMs: number | null;
  readonly restartDelayMs: number;
  readonly sampleMs: number;
}

export interface PlaySample {
  readonly atMs: number;
  readonly minServingReplicas: number;
  readonly segmentsUnavailable: number;
  readonly bytesInFlight: number;
  readonly serversDownloading: number;
  readonly serversDrained: number;
}

export interface PlayResult {
  readonly strategy: RebalanceStrategy;
  readonly summary: RebalanceSummary;
  /** When the last job reached the target, or null when it did not within the run. */
  readonly doneAtMs: number | null;
  readonly steps: number;
  readonly samples: readonly PlaySample[];
  readonly minServingReplicas: number;
  readonly maxSegmentsUnavailable: number;
  readonly bytesDownloaded: number;
  readonly p99BeforeMs: number;
  readonly p99DuringMs: number;
  readonly queriesDuring: number;
  /** Queries during the move that missed some data, and the largest fraction one missed. */
  readonly queriesMissingData: number;
  readonly worstDataMissing: number;
  readonly jobEvents: readonly RebalanceJobEvent[];
}

export function plannerFor(strategy: RebalanceStrategy): RebalancePlanner {
  if (strategy === 'impactFree') return new ImpactFreePlanner();
  if (strategy === 'pinot') return new PinotPlanner(PINOT_REBALANCE_DEFAULTS);
  return new NaivePlanner();
}

/** The cluster before the scale-out: rows beyond rowsBefore exist but hold nothing. */
export function clusterBeforeScaleOut(topology: Topology, rowsBefore: number, segmentSizeBytes: number): ClusterState {
  const cluster = new ClusterState('table', topology.replicaGroups);
  for (let server = 0; server < topology.servers; server++) {
    const index = cluster.addServer({ name: topology.serverName(asServer(server)), zone: 'default', pool: 0 });
    cluster.setReplicaGroup(index, topology.groupOf(index));
  }
  for (let s = 0; s < topology.segments; s++) cluster.addSegment({ name: `segment-${s}`, sizeBytes: segmentSizeBytes });
  applyPartitions(cluster, partitionsOf(topology, rowsBefore));
  cluster.settle();
  return cluster;
}

/** The mirrored target over every row, moving as few segments between rows as possible. */
export function scaleOutTarget(topology: Topology, rowsBefore: number): TargetAssignment {
  const rows = topology.instancesPerGroup;
  const current = Array.from({ length: topology.segments }, (_, s) => rowOfSegment(s as SegmentIndex, rowsBefore));
  const next = moveSegmentRows(current, rows);
  const partitions = partitionsOf(topology, rows);
  return next.map((row) => [...partitions[row]]);
}

function partitionsOf(topology: Topology, rows: number): ServerIndex[][] {
  return Array.from({ length: rows }, (_, row) => Array.from({ length: topology.replicaGroups }, (_, group) => topology.serverAt(group, row)));
}

export function playRebalance(spec: RunSpec, play: PlaySpec): PlayResult {
  const samples: PlaySample[] = [];
  const jobEvents: RebalanceJobEvent[] = [];
  const before: number[] = [];
  const during: number[] = [];
  let summary: RebalanceSummary | null = null;
  let loader: SegmentLoader | null = null;
  let doneAtMs: number | null = null;
  let steps = 0;
  let queriesMissingData = 0;
  let worstDataMissing = 0;
  simulate(spec, {
    cluster: ({ clock, topology, servers, slowness }) => {
      const cluster = clusterBeforeScaleOut(topology, play.rowsBefore, play.segmentSizeBytes);
      const target = scaleOutTarget(topology, play.rowsBefore);
      summary = summarizeRebalance(cluster, target);
      const segmentLoader = new SegmentLoader(cluster, clock, play.loader, loadCostListener(spec.placement.loadCost, slowness, clock));
      loader = segmentLoader;
      segmentLoader.start();
      const host = {
        inFlightQueries: (server: ServerIndex) => servers[server].inFlight,
        onJobEvent: (event: RebalanceJobEvent) => {
          jobEvents.push(event);
          if (event.kind === 'step') steps++;
          if (event.kind === 'done') doneAtMs = event.atMs;
        },
      };
      const startJob = (): RebalanceJob =>
        new RebalanceJob({ cluster, target, planner: plannerFor(play.strategy), clock, host, options: REBALANCE_JOB_DEFAULTS }).start();
      clock.setTimeout(() => {
        const first = startJob();
        if (play.killAtMs !== null) {
          clock.setTimeout(() => {
            first.stop();
            clock.setTimeout(startJob, play.restartDelayMs);
          }, Math.max(0, play.killAtMs - play.startMs));
        }
      }, play.startMs);
      const sample = (): void => {
        const table = cluster.routingTable();
        let drained = 0;
        for (let h = 0; h < cluster.serverCount; h++) if (!cluster.isQueryable(asServer(h))) drained++;
        samples.push({
          atMs: clock.now(),
          minServingReplicas: table.minServingReplicas(),
          segmentsUnavailable: table.unavailableSegments.length,
          bytesInFlight: segmentLoader.bytesInFlight,
          serversDownloading: segmentLoader.downloadingServers(),
          serversDrained: drained,
        });
        if (clock.now() + play.sampleMs <= spec.durationMs) clock.setTimeout(sample, play.sampleMs);
      };
      clock.setTimeout(sample, 0);
      return cluster;
    },
    onQueryFinished: (query) => {
      const latencyMs = query.endMs - query.arrivalMs;
      if (query.arrivalMs < play.startMs) {
        before.push(latencyMs);
        return;
      }
      if (doneAtMs !== null && query.arrivalMs >= doneAtMs) return;
      during.push(latencyMs);
      if (query.segmentsMissing > 0) {
        queriesMissingData++;
        const requested = (spec.classes[query.classIndex].segmentsPerQuery ?? spec.topology.segments) - query.segmentsPruned;
        worstDataMissing = Math.max(worstDataMissing, query.segmentsMissing / requested);
      }
    },
  });
  const inJob = samples.filter((s) => s.atMs >= play.startMs && (doneAtMs === null || s.atMs <= doneAtMs));
  return {
    strategy: play.strategy,
    summary: summary!,
    doneAtMs,
    steps,
    samples,
    minServingReplicas: Math.min(...inJob.map((s) => s.minServingReplicas), spec.topology.numReplicaGroups),
    maxSegmentsUnavailable: Math.max(0, ...inJob.map((s) => s.segmentsUnavailable)),
    bytesDownloaded: (loader as SegmentLoader | null)?.bytesDownloaded ?? 0,
    p99BeforeMs: percentile(before, 0.99),
    p99DuringMs: percentile(during, 0.99),
    queriesDuring: during.length,
    queriesMissingData,
    worstDataMissing,
    jobEvents,
  };
}

function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
