// The summary of a run: the figures an operator reads first (DESIGN.md, "What a run produces"),
// with the ADSS figures of seed 004 sections 4.3-4.4. Plain JSON, deterministic: the same logs give
// the same summary, byte for byte. It holds no wall-clock figure; the runner adds `performance`.

import { computeAdss, type AdssSummary, type FaultWindow, type Impairment } from './adss-metrics.js';
import { EVENT_KINDS, type EventKind, type EventLog } from './event-log.js';
import { type LatencyStats, roundFigure } from './latency-stats.js';
import { OUTCOMES, type Outcome, type QueryLog } from './query-log.js';
import type { SeriesColumns, SeriesLog } from './series-log.js';
import { fail, QueryTally } from './query-tally.js';

export type { AdssSummary, FaultFigures, FaultWindow, Impairment } from './adss-metrics.js';
export type { LatencyStats } from './latency-stats.js';
export { formatSummaryTable } from './summary-table.js';

export interface SummaryInput {
  scenarioName: string;
  seed: number;
  durationMs: number;
  classNames: readonly string[];
  serverNames: readonly string[];
  brokerCount: number;
  /** Servers holding identical data (one per replica group): the sets fair shares are taken over. */
  mirrorSets: readonly (readonly number[])[];
  faults: readonly FaultWindow[];
  impairments: readonly Impairment[];
  queries: QueryLog;
  series: SeriesLog;
  events: EventLog;
  /** Queries that arrived: must equal the queries logged, for nothing that arrived is lost. */
  arrivals: number;
  samplingIntervalMs: number;
  shareWindowMs: number;
  degradedLatencyFactor: number;
}

export interface ServerTotals {
  server: string;
  requestsReceived: number;
  requestsRejected: number;
}

export type ClassLatency = { class: string } & LatencyStats;

/** How widely queries were scattered, and how much partition pruning spared them. */
export interface FanOut {
  meanServersPerQuery: number;
  maxServersPerQuery: number;
  /** Queries of which the broker pruned at least one segment. */
  queriesPruned: number;
  /** Segments pruned per query, over all queries. */
  meanSegmentsPruned: number;
}

export interface Summary {
  scenario: string;
  seed: number;
  simulatedMs: number;
  arrivals: number;
  outcomes: Record<Outcome, number>;
  /** byClass: per class, in the scenario's order; a list, so that any class name (`__proto__`, `10`) is kept as given. */
  latencyMs: { all: LatencyStats; byClass: ClassLatency[] };
  /** Queries that arrived at each broker, by broker index. */
  queriesByBroker: number[];
  servers: ServerTotals[];
  fanOut: FanOut;
  /** Events logged, by kind. */
  events: Record<EventKind, number>;
  adss: AdssSummary;
}

export function computeSummary(input: SummaryInput): Summary {
  const series = input.series.columns();
  checkInput(input, series);
  const tally = new QueryTally(input.classNames.length, input.serverNames.length, input.brokerCount, input.faults, input.impairments);
  for (const chunk of input.queries.chunks()) tally.addChunk(chunk);
  const { outcomeCounts } = tally;
  const outcomes = Object.fromEntries(OUTCOMES.map((name, code) => [name, outcomeCounts[code]])) as Record<Outcome, number>;
  const ended = OUTCOMES.reduce((sum, name) => sum + outcomes[name], 0);
  if (ended !== input.arrivals) {
    throw new Error(`${input.arrivals} queries arrived but ${ended} ended: a query was lost or counted twice`);
  }

  const byClass: ClassLatency[] = [];
  input.classNames.forEach((name, classIndex) => {
    byClass.push({ class: name, ...tally.byClass[classIndex].stats() });
  });
  const adss = computeAdss({ ...input, series }, tally.adss);

  return {
    scenario: input.scenarioName,
    seed: input.seed,
    simulatedMs: input.durationMs,
    arrivals: input.arrivals,
    outcomes,
    latencyMs: { all: tally.all.stats(), byClass },
    queriesByBroker: Array.from(tally.queriesByBroker),
    servers: serverTotals(input.serverNames, series),
    fanOut: {
      meanServersPerQuery: roundFigure(ended === 0 ? 0 : tally.serversContacted / ended),
      maxServersPerQuery: tally.maxServers,
      queriesPruned: tally.queriesPruned,
      meanSegmentsPruned: roundFigure(ended === 0 ? 0 : tally.segmentsPruned / ended),
    },
    events: eventCounts(input.events),
    adss,
  };
}

function serverTotals(serverNames: readonly string[], series: SeriesColumns): ServerTotals[] {
  const totals = serverNames.map((server) => ({ server, requestsReceived: 0, requestsRejected: 0 }));
  for (let row = 0; row < series.server.length; row++) {
    const total = totals[series.server[row]];
    total.requestsReceived += series.requestsReceived[row];
    total.requestsRejected += series.requestsRejected[row];
  }
  return totals;
}

function eventCounts(events: EventLog): Record<EventKind, number> {
  const counts = Object.fromEntries(EVENT_KINDS.map((kind) => [kind, 0])) as Record<EventKind, number>;
  for (const chunk of events.chunks()) for (const code of chunk.columns.kind) counts[EVENT_KINDS[code]]++;
  return counts;
}

/**
 * Rejects input whose indexes point nowhere, so that a figure is never silently misattributed (the
 * query rows' indexes are checked in the summary's pass over them).
 */
function checkInput(input: SummaryInput, series: SeriesColumns): void {
  const servers = input.serverNames.length;
  const isServer = (server: number) => Number.isInteger(server) && server >= 0 && server < servers;
  if (!(input.shareWindowMs > 0 && input.samplingIntervalMs > 0)) fail('shareWindowMs and samplingIntervalMs must be positive');
  if (!(input.degradedLatencyFactor > 0)) fail('degradedLatencyFactor must be positive');
  for (const set of input.mirrorSets) if (!set.every(isServer)) fail(`mirror set [${set}] names an unknown server`);
  for (const f of input.faults) if (!isServer(f.server) || f.endMs < f.startMs) fail(`fault ${f.fault} is malformed`);
  for (const i of input.impairments) if (!isServer(i.server) || i.endMs < i.startMs) fail(`an impairment of fault ${i.fault} is malformed`);
  for (let row = 0; row < series.server.length; row++) {
    if (!isServer(series.server[row])) fail(`series row ${row} names unknown server ${series.server[row]}`);
  }
}
