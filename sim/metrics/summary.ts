// The summary of a run: the figures an operator reads first (DESIGN.md, "What a run produces"),
// with the ADSS figures of seed 004 sections 4.3-4.4. Plain JSON, deterministic: the same logs give
// the same summary, byte for byte. It holds no wall-clock figure; the runner adds `performance`.

import { computeAdss, type AdssSummary, type FaultWindow, type Impairment } from './adss-metrics.js';
import { EVENT_KINDS, type EventKind, type EventLog } from './event-log.js';
import { TICKS_PER_MS } from './fault-exposure.js';
import { latencyStatsSortingInPlace, selectRows, type LatencyStats } from './latency-stats.js';
import { OUTCOMES, type Outcome, type QueryColumns, type QueryLog } from './query-log.js';
import type { SeriesColumns, SeriesLog } from './series-log.js';

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

export interface Summary {
  scenario: string;
  seed: number;
  simulatedMs: number;
  arrivals: number;
  outcomes: Record<Outcome, number>;
  latencyMs: { all: LatencyStats; byClass: Record<string, LatencyStats> };
  /** Queries that arrived at each broker, by broker index. */
  queriesByBroker: number[];
  servers: ServerTotals[];
  /** Events logged, by kind. */
  events: Record<EventKind, number>;
  adss: AdssSummary;
}

export function computeSummary(input: SummaryInput): Summary {
  const queries = input.queries.columns();
  const series = input.series.columns();
  checkInput(input, queries, series);
  const rows = queries.queryId.length;

  const outcomes = Object.fromEntries(OUTCOMES.map((name) => [name, 0])) as Record<Outcome, number>;
  const queriesByBroker = new Array<number>(input.brokerCount).fill(0);
  const latencyMs = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    outcomes[OUTCOMES[queries.outcomeCode[row]]]++;
    queriesByBroker[queries.broker[row]]++;
    latencyMs[row] = (queries.endTick[row] - queries.arrivalTick[row]) / TICKS_PER_MS;
  }
  const ended = OUTCOMES.reduce((sum, name) => sum + outcomes[name], 0);
  if (ended !== input.arrivals) {
    throw new Error(`${input.arrivals} queries arrived but ${ended} ended: a query was lost or counted twice`);
  }

  const byClass: Record<string, LatencyStats> = {};
  input.classNames.forEach((name, classIndex) => {
    byClass[name] = latencyStatsSortingInPlace(selectRows(latencyMs, (row) => queries.classIndex[row] === classIndex));
  });
  const adss = computeAdss({ ...input, queries, series, latencyMs });

  return {
    scenario: input.scenarioName,
    seed: input.seed,
    simulatedMs: input.durationMs,
    arrivals: input.arrivals,
    outcomes,
    latencyMs: { all: latencyStatsSortingInPlace(latencyMs.slice()), byClass },
    queriesByBroker,
    servers: serverTotals(input.serverNames, series),
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
  for (let row = 0; row < events.length; row++) counts[events.kindOf(row)]++;
  return counts;
}

/** Rejects input whose indexes point nowhere, so that a figure is never silently misattributed. */
function checkInput(input: SummaryInput, queries: QueryColumns, series: SeriesColumns): void {
  const servers = input.serverNames.length;
  const isIndex = (value: number, size: number) => Number.isInteger(value) && value >= 0 && value < size;
  const expect = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`summary input: ${what}`);
  };
  expect(input.shareWindowMs > 0 && input.samplingIntervalMs > 0, 'shareWindowMs and samplingIntervalMs must be positive');
  expect(input.degradedLatencyFactor > 0, 'degradedLatencyFactor must be positive');
  for (const set of input.mirrorSets) expect(set.every((s) => isIndex(s, servers)), `mirror set [${set}] names an unknown server`);
  for (const f of input.faults) expect(isIndex(f.server, servers) && f.endMs >= f.startMs, `fault ${f.fault} is malformed`);
  for (const i of input.impairments) expect(isIndex(i.server, servers) && i.endMs >= i.startMs, `impairment of fault ${i.fault} is malformed`);
  for (let row = 0; row < queries.queryId.length; row++) {
    if (!isIndex(queries.classIndex[row], input.classNames.length) || queries.broker[row] >= input.brokerCount) {
      expect(false, `query row ${row} has an unknown class or broker`);
    }
  }
  expect(queries.servers.every((s) => s < servers), 'a query contacted an unknown server');
  expect(series.server.every((s) => isIndex(s, servers)), 'a series row names an unknown server');
}
