import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventLog } from './event-log.js';
import { OUTCOMES, type Outcome, QueryLog } from './query-log.js';
import { SeriesLog } from './series-log.js';
import { computeSummary, formatSummaryTable, type SummaryInput } from './summary.js';
import { eventRow, queryRow, seriesRow } from './log-test-kit.js';
import { MAX_FAULT_ROWS, MAX_SERVER_ROWS } from './summary-table.js';

const SERVERS = ['s0', 's1', 's2', 's3', 's4', 's5'];
const ms = (value: number) => value * 10; // ms to ticks

/**
 * Class fast: 100 completed queries before the fault, latencies 1..10 ms (p90 9 ms), on healthy s1.
 * During the slow-server fault on s0 [2000, 5000) ms: 10 completed in 20 ms through s0 (exposed and
 * degraded), 5 completed in 5 ms, 2 rejected, 3 timed out. Class slow: 10 completed in 50 ms before,
 * 1 completed in 40 ms during: too few before the fault, so its baseline takes the unexposed ones.
 */
function fixture(): SummaryInput {
  const queries = new QueryLog();
  let id = 0;
  const add = (cls: number, arrivalMs: number, latencyMs: number, outcome: Outcome, servers: number[]) =>
    queries.add(queryRow(id, cls, id++ % 2, ms(arrivalMs), ms(arrivalMs + latencyMs), outcome, servers));
  for (let i = 0; i < 100; i++) add(0, i * 10, (i % 10) + 1, 'completed', [1]);
  for (let j = 0; j < 20; j++) {
    const arrivalMs = 2000 + j * 10;
    if (j < 10) add(0, arrivalMs, 20, 'completed', [0, 1]);
    else if (j < 15) add(0, arrivalMs, 5, 'completed', [1]);
    else if (j < 17) add(0, arrivalMs, 0, 'rejected', [4]);
    else add(0, arrivalMs, 100, 'timedOut', [3]);
  }
  for (let i = 0; i < 10; i++) add(1, 1000 + i * 10, 50, 'completed', [2, 5]);
  add(1, 3000, 40, 'completed', [2]);

  // s0 receives nothing in the intervals ending in (2300, 5200] ms; every other interval, 10 each.
  const series = new SeriesLog();
  for (let tMs = 100; tMs <= 10000; tMs += 100) {
    SERVERS.forEach((_, s) => series.add(seriesRow(ms(tMs), s, s === 0 && tMs > 2300 && tMs <= 5200 ? 0 : 10, 0, 1, 0, 1, false, s === 0)));
  }
  const events = new EventLog();
  events.add(eventRow(ms(2000), 'faultStart', 0, -1, 0, 'slow server'));
  events.add(eventRow(ms(5000), 'faultEnd', 0, -1, 0, 'slow server'));
  events.add(eventRow(ms(2150), 'rejection', 4, 115, -1, 'queue full'));

  return {
    scenarioName: 'fixture',
    seed: 42,
    durationMs: 10000,
    classNames: ['fast', 'slow'],
    serverNames: SERVERS,
    brokerCount: 2,
    mirrorSets: [
      [0, 3],
      [1, 4],
      [2, 5],
    ],
    faults: [{ fault: 0, kind: 'slowServer', server: 0, startMs: 2000, endMs: 5000 }],
    impairments: [{ fault: 0, server: 0, startMs: 2000, endMs: 5000 }],
    queries,
    series,
    events,
    arrivals: queries.length,
    samplingIntervalMs: 100,
    shareWindowMs: 100,
    degradedLatencyFactor: 1.5,
  };
}

describe('computeSummary', () => {
  it('counts every outcome, and the counts add up to the arrivals', () => {
    const summary = computeSummary(fixture());
    expect(summary.arrivals).toBe(131);
    expect(summary.outcomes).toEqual({ completed: 126, partial: 0, rejected: 2, killed: 0, timedOut: 3 });
    expect(summary.queriesByBroker).toEqual([66, 65]);
    expect(summary.events).toEqual({ faultStart: 1, faultEnd: 1, rejection: 1, timeout: 0, kill: 0, budgetExhausted: 0, gcPause: 0, rebalanceStep: 0, rebalanceEnd: 0 });
    expect(summary.servers[0]).toEqual({ server: 's0', requestsReceived: 10 * (100 - 29), requestsRejected: 0 });
  });

  it('throws when a query that arrived did not end', () => {
    expect(() => computeSummary({ ...fixture(), arrivals: 132 })).toThrow(/132 queries arrived but 131 ended/);
  });

  it('rejects rows that name an unknown class', () => {
    const input = fixture();
    input.queries.add(queryRow(999, 5, 0, 0, 1, 'completed', []));
    expect(() => computeSummary({ ...input, arrivals: 132 })).toThrow(/unknown class/);
  });

  it('reports latency over every ended query, and by class', () => {
    const { latencyMs } = computeSummary(fixture());
    expect(latencyMs.byClass.map((c) => c.class)).toEqual(['fast', 'slow']);
    expect(latencyMs.byClass[1]).toEqual({ class: 'slow', count: 11, mean: roundTo4(540 / 11), p50: 50, p95: 50, p99: 50, p999: 50, max: 50 });
    expect(latencyMs.all.count).toBe(131);
    expect(latencyMs.all.max).toBe(100);
  });

  it('measures the ADSS figures around the fault by their definitions', () => {
    const { adss } = computeSummary(fixture());
    expect(adss.baselines).toEqual([
      { class: 'fast', baselineP90Ms: 9, basis: 'beforeFaults', queries: 100 },
      { class: 'slow', baselineP90Ms: 50, basis: 'unexposed', queries: 11 },
    ]);
    expect(adss.queriesDuringFaults).toBe(21);
    expect(adss.degradedFraction).toBe(roundTo4(15 / 21));
    expect(adss.faultExposedFraction).toBe(roundTo4(10 / 21));
    // Its mirror set is servers 0 and 1: 30 of 330 requests during the fault, 2/11 of its fair half.
    expect(adss.faults).toEqual([
      { fault: 0, kind: 'slowServer', server: 's0', startMs: 2000, endMs: 5000, diversionMs: 400, recoveryMs: 300, shareDuringFault: roundTo4(2 / 11) },
    ]);
    expect([adss.diversionMs, adss.recoveryMs]).toEqual([400, 300]);
    expect([adss.oscillation, adss.imbalance]).toEqual([0, 0]);
    expect([adss.tailLatencyDuringFaultMs, adss.tailLatencyOutsideFaultMs]).toEqual([100, 50]);
  });

  it('leaves the fault figures null when there are no faults', () => {
    const { adss } = computeSummary({ ...fixture(), faults: [], impairments: [] });
    expect(adss.faults).toEqual([]);
    expect([adss.queriesDuringFaults, adss.degradedFraction, adss.faultExposedFraction]).toEqual([0, null, null]);
    expect([adss.diversionMs, adss.recoveryMs, adss.tailLatencyDuringFaultMs]).toEqual([null, null, null]);
    expect(adss.baselines[1]).toEqual({ class: 'slow', baselineP90Ms: 50, basis: 'unexposed', queries: 11 });
  });

  it('is deterministic: the same logs give the same JSON', () => {
    expect(JSON.stringify(computeSummary(fixture()))).toBe(JSON.stringify(computeSummary(fixture())));
  });

  it('formats a table for the terminal', () => {
    const text = formatSummaryTable(computeSummary(fixture()));
    for (const word of [...OUTCOMES, 'fast', 'slow', 's5', 'slowServer', 'degraded fraction']) expect(text).toContain(word);
  });

  it('accounts for every random query log', () => {
    const row = fc.record({
      cls: fc.integer({ min: 0, max: 1 }),
      broker: fc.integer({ min: 0, max: 1 }),
      arrivalTick: fc.integer({ min: 0, max: 100_000 }),
      latencyTicks: fc.integer({ min: 0, max: 5_000 }),
      outcome: fc.constantFrom(...OUTCOMES),
      servers: fc.array(fc.integer({ min: 0, max: SERVERS.length - 1 }), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 300 }), (rows) => {
        const queries = new QueryLog();
        rows.forEach((r, id) => queries.add(queryRow(id, r.cls, r.broker, r.arrivalTick, r.arrivalTick + r.latencyTicks, r.outcome, r.servers)));
        const summary = computeSummary({ ...fixture(), queries, arrivals: rows.length });
        const ended = OUTCOMES.reduce((sum, name) => sum + summary.outcomes[name], 0);
        expect(ended).toBe(rows.length);
        expect(summary.latencyMs.all.count).toBe(rows.length);
      }),
      { numRuns: 200 },
    );
  });
});

function roundTo4(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}

describe('formatSummaryTable', () => {
  it('lists every server of a small cluster', () => {
    const text = formatSummaryTable(computeSummary(fixture()));
    for (const name of SERVERS) expect(text).toContain(`\n  ${name} `);
  });

  it('stays readable at any size: the spread, then the most loaded, rejecting and faulty servers, then a count', () => {
    const summary = computeSummary(fixture());
    const servers = Array.from({ length: 5000 }, (_, i) => ({
      server: `server-${i}`,
      requestsReceived: i === 4321 ? 99_999 : 1000 + (i % 7),
      requestsRejected: i === 17 ? 5 : 0,
    }));
    const faultyName = summary.adss.faults[0].server;
    servers[250] = { server: faultyName, requestsReceived: 3, requestsRejected: 0 };
    const faults = Array.from({ length: 30 }, (_, i) => ({ ...summary.adss.faults[0], fault: i }));
    const text = formatSummaryTable({ ...summary, servers, adss: { ...summary.adss, faults } });
    const serverLines = text.split('\n').filter((line) => /^ {2}server-\d+ /.test(line) || line.startsWith(`  ${faultyName} `));
    expect(serverLines.length).toBeLessThanOrEqual(MAX_SERVER_ROWS);
    expect(text).toMatch(/\n {2}server-4321 +99999 +0 +most loaded\n/);
    expect(text).toMatch(/\n {2}server-17 +1003 +5 +most rejecting, most loaded\n|\n {2}server-17 +\d+ +5 +most rejecting\n/);
    expect(text).toContain(`  ${faultyName}`);
    expect(text).toContain('5000 servers; requests received per server: min 3, median 1003, max 99999');
    expect(text).toMatch(/\.\.\. and \d+ more servers \(every server is in summary\.json, "servers"\)/);
    expect(text).toContain(`... and ${30 - MAX_FAULT_ROWS} more faults`);
    expect(text.split('\n').length).toBeLessThan(80);
  });
});
