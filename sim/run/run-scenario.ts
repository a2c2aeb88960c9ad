// One run from a validated scenario to the files of its results directory (DESIGN.md, "What a run
// produces"): the resolved scenario, queries.arrow, series.arrow, events.arrow and summary.json.
// Wall-clock figures come from a timer the caller passes in: sim/ never reads real time itself.

import { arrowFileChunks, arrowRecordBatches, type ArrowTableFile } from '../results/arrow-tables.js';
import type { RunFile } from '../results/run-directory.js';
import type { ColumnarTable, NameLists } from '../metrics/columnar-table.js';
import { computeSummary, type Summary } from '../metrics/summary.js';
import { loadPhaseBounds, summarizeHeaps, type HeapServerSummary } from '../metrics/heap-summary.js';
import { summarizeWorkloads, type WorkloadSummary } from '../metrics/workload-summary.js';
import { summarizeCluster, type ClusterSummary } from '../metrics/cluster-summary.js';
import { summarizeRateControl, type RateControlSummary } from '../metrics/rate-control-summary.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { resolvedScenarioYaml } from '../scenario/load-scenario.js';
import { compileScenario } from './compile-scenario.js';
import { simulate, type SimulationResult } from './simulation.js';
import { summarizeServerStorage, type ServerStorageSummary } from '../cache/server-storage.js';

/** Wall-clock figures of a run: how fast the simulator went. Not part of the deterministic results. */
export interface Performance {
  wallMs: number;
  simulatedSecondsPerWallSecond: number;
  serverRequestsPerWallSecond: number;
  schedulerEvents: number;
  peakRssMiB: number;
}

export interface RunOutput {
  readonly result: SimulationResult;
  readonly summary: Summary & { performance?: Performance; workloads?: WorkloadSummary[]; storage?: ServerStorageSummary; cluster?: ClusterSummary; heap?: HeapServerSummary[]; rateControl?: RateControlSummary };
  /** The run directory's files; the Arrow tables are produced batch by batch as they are written. */
  readonly files: ReadonlyArray<RunFile>;
}

export interface RunOptions {
  readonly onProgress?: (simulatedMs: number) => void;
  /** A monotonic wall clock in ms; when given, the summary gets a `performance` section. */
  readonly wallNowMs?: () => number;
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): RunOutput {
  const spec = compileScenario(scenario);
  const startedMs = options.wallNowMs?.();
  const result = simulate(spec, { onProgress: options.onProgress });
  const wallMs = startedMs === undefined ? undefined : options.wallNowMs!() - startedMs;
  const performance: Performance | undefined =
    wallMs === undefined
      ? undefined
      : {
          wallMs: Math.round(wallMs),
          simulatedSecondsPerWallSecond: threeSignificantDigits(spec.durationMs / wallMs),
          serverRequestsPerWallSecond: Math.round(result.serverRequests / (wallMs / 1000)),
          schedulerEvents: result.eventsRun,
          peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
        };
  return runOutput(scenario, result, performance);
}

/** The summary and files of a run, from either runtime's logs (times in the logs are ticks of 0.1 ms). */
export function runOutput(scenario: Scenario, result: SimulationResult, performance?: Performance): RunOutput {
  const spec = result.spec;
  const topology = result.topology;
  const serverNames = result.serverNames;
  const classNames = spec.classes.map((c) => c.name);
  const summary: RunOutput['summary'] = computeSummary({
    scenarioName: spec.name,
    seed: spec.seed,
    durationMs: spec.durationMs,
    classNames,
    serverNames,
    brokerCount: topology.brokers,
    mirrorSets: topology.mirrorServerSets,
    faults: result.faultWindows,
    impairments: result.impairments,
    queries: result.queries,
    series: result.series,
    events: result.events,
    arrivals: result.arrivals,
    samplingIntervalMs: spec.samplingIntervalMs,
    shareWindowMs: spec.shareWindowMs,
    degradedLatencyFactor: spec.degradedLatencyFactor,
  });
  if (result.isolation !== null) {
    const enforcers = result.isolation.enforcers;
    summary.workloads = summarizeWorkloads({
      queries: result.queries,
      classWorkloads: spec.isolation.classes.map((c) => c.workload),
      windows: result.isolation.closedWindows,
      counters: enforcers.map((e) => e.counters),
      measured: enforcers.map((e) => e.accountant.measuredByWorkload),
    });
  }
  if (result.storage.length > 0) summary.storage = summarizeServerStorage(result.storage, serverNames);
  const live = result.liveCluster;
  if (live !== null) {
    summary.cluster = summarizeCluster({
      queries: result.queries,
      cluster: live.table,
      segmentsPerQuery: spec.classes.map((c) => c.segmentsPerQuery ?? spec.topology.segments),
      drains: live.drains,
      moves: live.moves,
      churn: live.churn,
      availability: live.availability.figures(spec.durationMs),
      bytesMoved: live.bytesMoved,
      durationMs: spec.durationMs,
    });
  }
  if (spec.isolation.heap !== null) {
    summary.heap = summarizeHeaps({
      serverNames,
      mirrorSets: topology.mirrorServerSets,
      heaps: result.heaps,
      series: result.series.columns(),
      phaseBoundsMs: loadPhaseBounds(spec.classes.flatMap((c) => c.rates.map((piece) => piece.atMs)), spec.durationMs),
    });
  }
  const rateControl = spec.selectorParams.c3RateControl;
  if (rateControl !== null && result.backlogs !== undefined) summary.rateControl = summarizeRateControl(result.backlogs, rateControl.rateIntervalMs);
  if (performance !== undefined) summary.performance = performance;
  const files = [
    { name: 'scenario.resolved.yaml', data: resolvedScenarioYaml(scenario) },
    arrowFile(result.queries.table, { classes: classNames, classWorkloads: spec.isolation.classes.map((c) => c.workload) }),
    arrowFile(result.series.table, { servers: serverNames }),
    arrowFile(result.events.table, { servers: serverNames }),
    ...(result.isolation === null ? [] : [arrowFile(result.workloads.table, { servers: serverNames })]),
    ...(spec.isolation.heap === null ? [] : [arrowFile(result.heaps.table, { servers: serverNames })]),
    ...(live === null ? [] : [arrowFile(live.hosts.table, { servers: serverNames }), arrowFile(live.table.table, {})]),
    { name: 'summary.json', data: `${JSON.stringify(summary, null, 2)}\n` },
  ];
  return { result, summary, files };
}

/** A table's Arrow file, produced batch by batch each time it is read (its record batches too, for Parquet). */
export function arrowFile<R>(table: ColumnarTable<R>, names: NameLists): ArrowTableFile {
  return { name: table.decl.file, data: { [Symbol.iterator]: () => arrowFileChunks(table, names) }, batches: () => arrowRecordBatches(table, names) };
}

/** A run file's whole content in one buffer (for tests and small files). */
export function fileBytes(file: RunFile): Buffer {
  const { data } = file;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.concat(Array.from(data, (chunk) => Buffer.from(chunk)));
}

/** Three significant digits: a slow run's 0.0408x stays readable instead of rounding to 0. */
function threeSignificantDigits(value: number): number {
  return Number(value.toPrecision(3));
}
