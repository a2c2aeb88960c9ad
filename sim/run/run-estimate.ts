// What a validated scenario will need before it runs (issue 5, "Refuse what cannot run"): upper
// bounds on its arrivals, server requests and work items, the memory its retained records and its
// cluster state take, and roughly how long it runs. A run whose numbers overflow the results' columns
// (32-bit query ids, 16-bit server indexes) or whose memory exceeds this machine's is refused before
// it starts, at the keys responsible; a long one starts with a line saying roughly how long.

import type { Scenario } from '../scenario/scenario-schema.js';
import type { KeyPath } from '../scenario/schema-walk.js';
import { MAX_QUERY_TICK } from '../metrics/query-log.js';
import { parseDurationMs } from '../scenario/units.js';
import type { TableFormat } from '../sweep/sweep-directory.js';

/**
 * Peak bytes per retained query record, its server list aside (measured from outside the process:
 * peak RSS of 60 s against 1 200 s of the 1500 QPS profile, issue 5 item 9: 61 bytes a query with its
 * list of 4 servers by `twin bench`, of which 37 + 8 are kept in typed arrays, less where a column
 * stays zero, about 5 are series rows and the rest allocator slack; 85-101 before the brokers' queries
 * in flight left their Map, whose discarded tables kept the old generation growing). With
 * REQUEST_BYTES for each of the query's requests the estimate stays above that measure.
 */
export const QUERY_RECORD_BYTES = 56;
/** Peak bytes per server request of a retained query (its entry in the query's server list, and the request itself in flight). */
const REQUEST_BYTES = 16;
/** Peak bytes per row of the sampled series (one row per server per sampling interval). */
const SERIES_ROW_BYTES = 120;
/** Bytes of state per broker and server pair (the broker's statistics of each server it may route to). */
const BROKER_SERVER_BYTES = 96;
/** Bytes of state per server (its executor, threads and queue) and per segment (placement). */
const SERVER_BYTES = 4096;
const SEGMENT_BYTES = 64;
/** Memory of the process before the run (code, libraries, the scenario). */
const BASE_BYTES = 150 * 1024 * 1024;
/**
 * Peak bytes writing the tables as Parquet adds (--format parquet or both), whatever the run's length:
 * one row group in flight (sim/sweep/parquet-file.ts ROW_GROUP_ROWS rows; about 2 KB of short-lived
 * values a query row while hyparquet-writer encodes it). Measured as peak RSS over the same run written
 * as Arrow only, default scenario without faults, 60 s / 180 s / 360 s: +101, +84 and +16 MiB on the
 * shared machine (the garbage collector's timing, not the run's length, sets where in that range).
 */
const PARQUET_WRITE_BYTES = 128 * 1024 * 1024;
/** Bytes a table row costs the Parquet writer until its footer is written: each row group's metadata (statistics, offsets), about 1.5 KB a column chunk over ROW_GROUP_ROWS rows. */
const PARQUET_FOOTER_BYTES_PER_ROW = 2;

/**
 * Simulator throughput for the duration estimate, in cost units a second (an arrival 2, a request 3,
 * a work item 1, a sampled row 1, a literal-mode server tick 0.1): between the reference
 * scenario (about 4.6e6 a second) and the large benchmark (about 2.8e6). Only the order of magnitude
 * is claimed.
 */
const COST_UNITS_PER_SECOND = 3e6;

/** The results' column types bound these counts (results-reference.ts: queryId uint32, servers list<uint16>). */
const MAX_QUERIES = 2 ** 32 - 1;
const MAX_SERVERS = 2 ** 16;

export interface RunEstimate {
  /** Upper bound on arrivals (mean plus six standard deviations of the Poisson count). */
  readonly arrivals: number;
  readonly servers: number;
  /** Upper bound on server requests (each arrival fans out to at most this many servers). */
  readonly serverRequests: number;
  readonly workItems: number;
  readonly seriesRows: number;
  /** Peak memory the run is expected to need, in bytes, and its three largest parts. */
  readonly memoryBytes: number;
  readonly recordBytes: number;
  readonly seriesBytes: number;
  readonly clusterBytes: number;
  /** What writing the tables adds (Parquet's row group in flight and footer; nothing for Arrow, written batch by batch from the records). */
  readonly writeBytes: number;
  /** Rough wall-clock duration on one core, in seconds. */
  readonly wallSeconds: number;
}

export interface Refusal {
  /** The keys responsible, in the order an operator would change them. */
  readonly paths: readonly KeyPath[];
  readonly message: string;
}

/** The memory a run may use on this machine. */
export interface MachineBudget {
  readonly memoryBytes: number;
}

/** Arrivals a class's rate schedule gives over the run, in expectation. */
function expectedArrivals(queryClass: Scenario['workload']['classes'][number], durationMs: number): number {
  const pieces =
    queryClass.rates !== undefined
      ? queryClass.rates.map((step) => ({ atMs: parseDurationMs(step.at), qps: step.qps }))
      : [{ atMs: 0, qps: queryClass.qps ?? 0 }];
  let total = 0;
  pieces.forEach((piece, index) => {
    const endMs = Math.min(durationMs, index + 1 < pieces.length ? pieces[index + 1].atMs : durationMs);
    if (endMs > piece.atMs) total += (piece.qps * (endMs - piece.atMs)) / 1000;
  });
  return total;
}

/** Servers one query of a class is sent to, at most. */
function serversPerQuery(scenario: Scenario, segmentsPerQuery: number | 'all'): number {
  const { numReplicaGroups, numInstancesPerReplicaGroup, segments } = scenario.cluster;
  const read = segmentsPerQuery === 'all' ? segments : segmentsPerQuery;
  const reachable = scenario.routing.instanceSelectorType === 'balanced' ? numReplicaGroups * numInstancesPerReplicaGroup : numInstancesPerReplicaGroup;
  return Math.min(read, reachable);
}

/** The scenario's estimate, its tables written in `format` (Arrow IPC, Parquet or both). */
export function estimateRun(scenario: Scenario, format: TableFormat = 'arrow'): RunEstimate {
  const durationMs = parseDurationMs(scenario.duration);
  const { cluster } = scenario;
  const servers = cluster.numReplicaGroups * cluster.numInstancesPerReplicaGroup;
  let arrivals = 0;
  let serverRequests = 0;
  let workItems = 0;
  for (const queryClass of scenario.workload.classes) {
    const mean = expectedArrivals(queryClass, durationMs);
    const bound = Math.ceil(mean + 6 * Math.sqrt(mean) + 10);
    arrivals += bound;
    serverRequests += bound * serversPerQuery(scenario, queryClass.segmentsPerQuery);
    workItems += bound * (queryClass.segmentsPerQuery === 'all' ? cluster.segments : queryClass.segmentsPerQuery);
  }
  const samples = Math.ceil(durationMs / parseDurationMs(scenario.metrics.samplingInterval)) + 1;
  const seriesRows = samples * servers;
  const recordBytes = arrivals * QUERY_RECORD_BYTES + serverRequests * REQUEST_BYTES;
  const seriesBytes = seriesRows * SERIES_ROW_BYTES;
  const clusterBytes = cluster.brokers * servers * BROKER_SERVER_BYTES + servers * SERVER_BYTES + cluster.segments * SEGMENT_BYTES;
  const writeBytes = format === 'arrow' ? 0 : PARQUET_WRITE_BYTES + (arrivals + seriesRows) * PARQUET_FOOTER_BYTES_PER_ROW;
  const memoryBytes = BASE_BYTES + recordBytes + seriesBytes + clusterBytes + writeBytes;
  const literalTicks = scenario.scheduler.mode === 'literal' ? (durationMs / 0.1) * servers : 0;
  const costUnits = 2 * arrivals + 3 * serverRequests + workItems + seriesRows + 0.1 * literalTicks;
  return {
    arrivals,
    servers,
    serverRequests,
    workItems,
    seriesRows,
    memoryBytes,
    recordBytes,
    seriesBytes,
    clusterBytes,
    writeBytes,
    wallSeconds: costUnits / COST_UNITS_PER_SECOND,
  };
}

const CLUSTER_SIZE: readonly KeyPath[] = [
  ['cluster', 'brokers'],
  ['cluster', 'numReplicaGroups'],
  ['cluster', 'numInstancesPerReplicaGroup'],
];

/** The keys that drive the number of arrivals: each class's rate, and the duration. */
function arrivalKeys(scenario: Scenario): KeyPath[] {
  const rates = scenario.workload.classes.map((queryClass, index): KeyPath =>
    queryClass.rates !== undefined ? ['workload', 'classes', index, 'rates'] : ['workload', 'classes', index, 'qps'],
  );
  return [...rates, ['duration']];
}

/** A number as an operator reads it: 3.6e10 rather than 36000000000. */
export function roughCount(value: number): string {
  if (value < 1e6) return String(Math.round(value));
  return value.toExponential(1).replace('e+', 'e');
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** Why the run cannot run on this machine; empty when it can. */
export function refusals(scenario: Scenario, estimate: RunEstimate, budget: MachineBudget): Refusal[] {
  const found: Refusal[] = [];
  if (estimate.servers > MAX_SERVERS) {
    found.push({
      paths: CLUSTER_SIZE.slice(1),
      message: `the cluster would have ${roughCount(estimate.servers)} servers; results index servers with 16 bits, so at most ${MAX_SERVERS}`,
    });
  }
  const lastMs = parseDurationMs(scenario.duration) + parseDurationMs(scenario.workload.queryTimeout);
  const maxMs = MAX_QUERY_TICK / 10;
  // Only query times are bounded: a run where no query can arrive (a year of churn) may be longer.
  const queriesMayArrive = scenario.workload.classes.some((c) => expectedArrivals(c, parseDurationMs(scenario.duration)) > 0);
  if (lastMs > maxMs && queriesMayArrive) {
    found.push({
      paths: [['duration'], ['workload', 'queryTimeout']],
      message: `the run and its last query's timeout reach ${(lastMs / 3_600_000).toFixed(1)} h; the query table holds times (uint32 ticks of 0.1 ms) up to ${(maxMs / 3_600_000).toFixed(1)} h`,
    });
  }
  if (!Number.isFinite(estimate.arrivals)) {
    found.push({ paths: arrivalKeys(scenario), message: 'the numbers overflow: the rate times the duration is more queries than a number can hold' });
  } else if (estimate.arrivals > MAX_QUERIES) {
    found.push({
      paths: arrivalKeys(scenario),
      message: `the run would have about ${roughCount(estimate.arrivals)} queries; query ids are 32-bit, so at most ${roughCount(MAX_QUERIES)}`,
    });
  }
  if (!(estimate.memoryBytes <= budget.memoryBytes)) {
    const largest = Math.max(estimate.recordBytes, estimate.seriesBytes, estimate.clusterBytes);
    const paths =
      largest === estimate.recordBytes
        ? arrivalKeys(scenario)
        : largest === estimate.seriesBytes
          ? [['metrics', 'samplingInterval'], ['duration'], ...CLUSTER_SIZE.slice(1)]
          : CLUSTER_SIZE;
    // Keys already refused for their counts need no second line about the memory those counts take.
    if (found.some((refusal) => String(refusal.paths[0]) === String(paths[0]))) return found;
    found.push({
      paths,
      message:
        `the run would need about ${formatBytes(estimate.memoryBytes)} of memory ` +
        `(${roughCount(estimate.arrivals)} queries, ${roughCount(estimate.serverRequests)} server requests, ${roughCount(estimate.servers)} servers` +
        `${estimate.writeBytes > 0 ? `, ${formatBytes(estimate.writeBytes)} to write Parquet` : ''}); ` +
        `this machine allows ${formatBytes(budget.memoryBytes)}`,
    });
  }
  return found;
}
