// What every file, column and summary figure of a run directory means (DESIGN.md, "What a run
// produces"; ADSS figures after seed 004 sections 4.3-4.4), so the results README is rendered from
// it and cannot drift from the tables. Columns are documented from the tables' declarations
// (QUERY_TABLE, SERIES_TABLE, EVENT_TABLE; see sim/metrics/columnar-table.ts to add one); summary
// figures are described here.

import { arrowTypeName, type ColumnDecl, type TableDecl } from '../metrics/columnar-table.js';
import { EVENT_TABLE } from '../metrics/event-log.js';
import { OUTCOMES, type Outcome, QUERY_TABLE } from '../metrics/query-log.js';
import { HEAP_TABLE } from '../metrics/heap-log.js';
import { CLUSTER_TABLE } from '../metrics/cluster-log.js';
import { HOST_TABLE } from '../metrics/host-log.js';
import { SERIES_TABLE } from '../metrics/series-log.js';
import { WORKLOAD_TABLE } from '../metrics/workload-log.js';

export interface ColumnDoc {
  readonly name: string;
  readonly type: string;
  readonly description: string;
}

export interface FieldDoc {
  /** Path of the figure in summary.json. */
  readonly path: string;
  readonly description: string;
}

/** The files of a run directory written from these tables and the summary. */
export const RESULT_FILES = {
  queries: QUERY_TABLE.file,
  series: SERIES_TABLE.file,
  events: EVENT_TABLE.file,
  workloads: WORKLOAD_TABLE.file,
  heap: HEAP_TABLE.file,
  hosts: HOST_TABLE.file,
  cluster: CLUSTER_TABLE.file,
  summary: 'summary.json',
} as const;

export const OUTCOME_DESCRIPTIONS: Readonly<Record<Outcome, string>> = {
  completed: 'every server the query was sent to answered ok before the query timeout',
  partial: 'at least one server answered ok, but another rejected the request or did not answer before the query timeout',
  rejected: 'no server answered ok and at least one rejected the request, or the broker had no server to send to',
  killed: "a server's engine killed the query's work (heap level, CPU-time limit, or its workload's exhausted budget with cancelOnExhaustion); the reason is in events.arrow",

  timedOut: 'the query timeout fired with no ok answer',
};

/** The documentation of a table's columns, in file order, from its declaration. */
function columnDocs(table: TableDecl<never>): readonly ColumnDoc[] {
  return Object.entries(table.columns).map(([name, column]) => ({
    name,
    type: arrowTypeName(column as ColumnDecl<never>),
    description: column.description,
  }));
}

export const QUERY_COLUMNS = columnDocs(QUERY_TABLE as TableDecl<never>);
export const SERIES_COLUMNS = columnDocs(SERIES_TABLE as TableDecl<never>);
export const EVENT_COLUMNS = columnDocs(EVENT_TABLE as TableDecl<never>);
export const WORKLOAD_COLUMNS = columnDocs(WORKLOAD_TABLE as TableDecl<never>);
export const HEAP_COLUMNS = columnDocs(HEAP_TABLE as TableDecl<never>);
export const HOST_COLUMNS = columnDocs(HOST_TABLE as TableDecl<never>);
export const CLUSTER_COLUMNS = columnDocs(CLUSTER_TABLE as TableDecl<never>);

export const SUMMARY_FIELDS: readonly FieldDoc[] = [
  { path: 'scenario, seed, simulatedMs', description: 'Scenario name, seed and simulated duration in ms.' },
  { path: 'arrivals', description: 'Queries that arrived; every one ends with exactly one outcome.' },
  { path: 'outcomes', description: 'Queries per outcome, all five keys; they add up to arrivals.' },
  {
    path: 'latencyMs.all, latencyMs.byClass[]',
    description:
      'byClass is a list, one entry per class in the scenario\'s order, named by `class` (a list keeps any class name as given). count, mean, p50, p95, p99, p999 (p99.9) and max of end - arrival in ms over every query that ended, whatever its outcome. Percentiles are nearest-rank: the smallest latency with at least that fraction of queries at or below it. Null when count is 0.',
  },
  { path: 'queriesByBroker', description: 'Queries that arrived at each broker, by broker index.' },
  { path: 'servers', description: 'Per server (in server-index order): requests received and requests rejected over the run.' },
  {
    path: 'fanOut.meanServersPerQuery, maxServersPerQuery, queriesPruned, meanSegmentsPruned',
    description:
      'Servers a query was sent to (mean over every query, and the most), queries of which the broker pruned at least one segment by partition (routing.segmentPrunerTypes), and segments pruned per query (mean over every query).',
  },
  { path: 'events', description: 'Events logged, by kind.' },
  {
    path: 'adss.degradedLatencyFactor, adss.shareWindowMs, adss.samplingIntervalMs',
    description: 'The parameters the figures below were measured with.',
  },
  {
    path: 'adss.baselines[].class, baselineP90Ms, basis, queries',
    description:
      "One entry per class, in the scenario's order. baselineP90Ms: the class's fault-free P90 latency: of its completed queries that arrived before the first fault started (basis beforeFaults; after a fault the cluster may still be catching up). With fewer than 50 such queries, the P90 of all its completed queries that contacted no server while it was impaired, wherever they arrived (basis unexposed). Null, basis none, when there are none; `queries` is the sample size.",
  },
  {
    path: 'adss.faults[].fault, kind, server, startMs, endMs',
    description: "One entry per scenario fault: its index in the scenario's faults, kind, server name and fault window.",
  },
  { path: 'adss.queriesDuringFaults', description: 'Queries that arrived during a fault window (start <= arrival < end).' },
  {
    path: 'adss.degradedFraction',
    description:
      "Share of the queries that arrived during a fault window that were degraded: outcome other than completed, or latency > degradedLatencyFactor x its class's baselineP90Ms (only the outcome counts for a class with no baseline). Null without such queries.",
  },
  {
    path: 'adss.faultExposedFraction',
    description:
      "Share of the same queries that contacted a server while it was impaired: the query's [arrival, end] overlaps an impairment [start, end) of a server it was sent to (a query ending exactly as the impairment begins did not). Null without such queries.",
  },
  {
    path: 'adss.faults[].diversionMs',
    description:
      "Time from the fault's start to the first sample, at or after the start, from which on the faulty server's share stayed below 10 % of its fair share at every sample up to the fault's end (a dip that ends before the fault does is no diversion). Share = requests received by the server / requests received by all servers of its mirror set, over the trailing shareWindowMs (samples in (t - shareWindowMs, t]); fair share = 1 / size of the mirror set. Samples where the mirror set received nothing are passed over. Null if the share was not below 10 % of fair at the fault's end, or the server has no mirror.",
  },
  {
    path: 'adss.faults[].recoveryMs',
    description:
      "Time from the fault's end to the first sample, at or after the end, at which the server's share (same trailing window) was at or above 90 % of its fair share (so about 0 when the share never fell); null if it never was before the run ended.",
  },
  {
    path: 'adss.faults[].shareDuringFault',
    description:
      "The faulty server's share of its mirror set's requests over the whole fault window, as a multiple of its fair share: 1 means no diversion at all, 0 complete diversion. Null if its mirror set received nothing or it has no mirror.",
  },
  { path: 'adss.diversionMs, adss.recoveryMs', description: 'The same for the fault that starts first (first in scenario order on a tie); null without faults.' },
  {
    path: 'adss.oscillation',
    description:
      'For each healthy server (no impairment in the whole run), the coefficient of variation (population stddev / mean) over sampling intervals of its requests received per interval, skipping intervals ending in the first second and servers whose mean is 0; averaged over healthy servers. 0 for perfectly constant rates.',
  },
  {
    path: 'adss.imbalance',
    description:
      "Mean over sampling intervals (after the first second) of the coefficient of variation across healthy servers of that interval's requests received, skipping intervals whose mean is 0.",
  },
  {
    path: 'adss.tailLatencyDuringFaultMs, adss.tailLatencyOutsideFaultMs',
    description: 'p99 latency of the queries that arrived during a fault window, and of the others (every outcome); null when there are none.',
  },
  {
    path: 'cluster.availability, queriesMissingData, worstDataMissing, timeWithDataMissingMs, minServingReplicas, bytesMoved',
    description:
      'With a zoneDrain or rebalance fault (issue 7): of the segments all queries asked for, the fraction a server served; queries that missed at least one segment; the largest fraction one query missed; sampled time with a segment no server served; the fewest serving replicas of any segment at any sample; bytes the moves downloaded.',
  },
  {
    path: 'cluster.drains[]',
    description:
      'Per zone drain: fault, zone, planned, startMs, endMs, servers taken down; of the queries that arrived during it, queries, queriesMissingData, worstDataMissing and p99Ms, and p99BeforeMs of the queries that arrived in the same length of time just before it.',
  },
  {
    path: 'cluster.rebalances[]',
    description:
      "Per rebalance: placement and strategy; movedServers and repairSwaps (Algorithm 3), zoneSafe and worstZoneLossBefore/After (most replicas of one segment in one zone); Pinot's dry-run figures segmentsToAdd, segmentsToDrop, bytesToMove, maxSegmentsAddedToOneServer, peakExtraBytesOnOneServer; outcome, reason, steps, durationMs (null when not done in the run), minServingReplicasDuring; and the queries that arrived while it ran, as for a drain.",
  },
  {
    path: 'rateControl.rateIntervalMs, brokers[], throttledBrokers',
    description:
      "With C3's rate control (`routing.c3.rateControl`), simulated and real runs alike: per broker, `held` requests that waited in its backlog because no replica had a token, their `meanWaitMs` and `longestWaitMs`; `throttledBrokers` counts the brokers with a request that waited longer than one rate interval, the twin's measure of a broker held below its demand.",
  },
  { path: 'performance', description: 'Wall-clock timings of the run, added by the runner; the only figures that differ between identical runs.' },
];

const escapeCell = (text: string) => text.replaceAll('|', '\\|');

function columnTable(columns: readonly ColumnDoc[]): string {
  const rows = columns.map((c) => `| \`${c.name}\` | ${c.type} | ${escapeCell(c.description)} |`);
  return ['| column | type | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The Markdown reference of a run directory: files, outcomes, columns and summary figures. */
export function renderResultsReference(): string {
  const outcomes = OUTCOMES.map((name) => `- \`${name}\`: ${OUTCOME_DESCRIPTIONS[name]}.`);
  const fields = SUMMARY_FIELDS.map((f) => `| \`${f.path}\` | ${escapeCell(f.description)} |`);
  return [
    '## What a run directory holds',
    '',
    `A run writes one directory, whole or not at all: \`${RESULT_FILES.summary}\` and three Arrow IPC files (` +
      `\`${RESULT_FILES.queries}\`, \`${RESULT_FILES.series}\`, \`${RESULT_FILES.events}\`). Times are in ms, at the ` +
      "simulator's 0.1 ms resolution.",
    '',
    '### Outcomes',
    '',
    'Every query that arrives ends in exactly one outcome, and the counts add up to the arrivals.',
    '',
    ...outcomes,
    '',
    `### \`${RESULT_FILES.queries}\`: one row per query`,
    '',
    columnTable(QUERY_COLUMNS),
    '',
    `### \`${RESULT_FILES.series}\`: one row per server per sampling interval`,
    '',
    columnTable(SERIES_COLUMNS),
    '',
    `### \`${RESULT_FILES.events}\`: one row per event`,
    '',
    columnTable(EVENT_COLUMNS),
    '',
    `### \`${RESULT_FILES.workloads}\`: one row per workload per server per sampling interval`,
    '',
    'Written when the scenario configures workload isolation (`isolation.workloads`, query killing); the summary then has a `workloads` list with each workload\'s latency percentiles, outcomes, budget accuracy and accounting error.',
    '',
    columnTable(WORKLOAD_COLUMNS),
    '',
    `### \`${RESULT_FILES.heap}\`: one row per server per sampling interval`,
    '',
    'Written when `heap.enabled` is true; the summary then has a `heap` list, one entry per server: its collections and pause time, and per load phase (`phases[]`: the stretches between the times at which a class\'s query rate changes, `startMs` to `endMs`) its pause time and `requestShare`, its share of its mirror set\'s requests as a multiple of the fair share (1: the routing did not move requests away from it; 0: it moved them all; null without a mirror).',
    '',
    columnTable(HEAP_COLUMNS),
    '',
    `### \`${RESULT_FILES.hosts}\`: one row per server per sampling interval`,
    '',
    'Written when the scenario has a `zoneDrain` or `rebalance` fault; the summary then has a `cluster` section.',
    '',
    columnTable(HOST_COLUMNS),
    '',
    `### \`${RESULT_FILES.cluster}\`: one row per sampling interval`,
    '',
    'Written with hosts.arrow.',
    '',
    columnTable(CLUSTER_COLUMNS),
    '',
    `### \`${RESULT_FILES.summary}\``,
    '',
    'A fault window is the scenario-level interval [startMs, endMs) of a fault. An impairment is an interval in ' +
      'which a server was actually impaired: the whole window of a slow-server fault, or each single GC pause of a ' +
      'GC fault (the faultStart / faultEnd events). Figures are rounded to 4 decimals; null means not measurable.',
    '',
    '| figure | meaning |',
    '| --- | --- |',
    ...fields,
    '',
  ].join('\n');
}
