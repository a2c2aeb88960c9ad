// The run estimate bounds what a run does, and refuses what cannot run: any scenario the loader
// accepts either runs to completion within its estimate or is refused before running, never a crash.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { admitScenario, durationNotice } from './run-admission.js';
import { parseScenarioLocated } from '../scenario/load-scenario.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import { estimateRun, refusals } from './run-estimate.js';
import { runScenario } from './run-scenario.js';

const MIB = 1024 * 1024;
/** A budget that admits only runs small enough for a test (the process's base, plus a little). */
const TEST_BUDGET = { memoryBytes: 150 * MIB + 12 * MIB };
const MACHINE = { memoryBytes: 4 * 1024 * MIB };

function scenarioText(fields: Record<string, unknown>): string {
  return stringify({
    workload: { classes: [{ name: 'a', qps: 100, segmentCost: { distribution: 'fixed', median: '1ms' } }] },
    ...fields,
  });
}

describe('estimateRun and refusals', () => {
  it('counts what writing Parquet needs: one row group in flight and its footer, bounded, and nothing for Arrow', () => {
    const scenario = (duration: string) => parseScenarioLocated(scenarioText({ duration }), 'parquet.yaml').scenario;
    const arrow = estimateRun(scenario('60s'));
    const parquet = estimateRun(scenario('60s'), 'parquet');
    expect(arrow.writeBytes).toBe(0);
    expect(estimateRun(scenario('60s'), 'both').writeBytes).toBe(parquet.writeBytes);
    expect(parquet.memoryBytes - arrow.memoryBytes).toBe(parquet.writeBytes);
    expect(parquet.writeBytes).toBeGreaterThanOrEqual(128 * MIB);
    // Ten times the run: the writer needs only its footer's few bytes a row more, not the tables.
    const long = estimateRun(scenario('600s'), 'parquet');
    expect(long.writeBytes - parquet.writeBytes).toBe(2 * (long.arrivals + long.seriesRows - parquet.arrivals - parquet.seriesRows));
    expect(long.writeBytes - parquet.writeBytes).toBeLessThan((long.recordBytes - parquet.recordBytes) / 10);
    // A budget that holds the run written as Arrow refuses it written as Parquet, and says why.
    const loaded = parseScenarioLocated(scenarioText({ duration: '60s' }), 'parquet.yaml');
    const budget = { memoryBytes: arrow.memoryBytes + MIB };
    expect(admitScenario(loaded, budget, 'arrow').memoryBytes).toBe(arrow.memoryBytes);
    expect(() => admitScenario(loaded, budget, 'parquet')).toThrow(/128\.\d MiB to write Parquet/);
  });

  it('refuses a rate of 1e308 as an overflow, at the rate and the duration', () => {
    const text = `duration: 60s\n${scenarioText({}).replace('qps: 100', 'qps: 1e308')}`;
    const loaded = parseScenarioLocated(text, 'qps.yaml');
    expect(() => admitScenario(loaded, MACHINE)).toThrow(ScenarioError);
    try {
      admitScenario(loaded, MACHINE);
    } catch (error) {
      const issues = (error as ScenarioError).issues;
      expect(issues.map((issue) => `${issue.line}:${issue.column}`)).toEqual(['5:12', '1:11']);
      expect(issues[0].message).toBe(
        'workload.classes.0.qps: refused before running: the numbers overflow: the rate times the duration is more queries than a number can hold; lower workload.classes.0.qps or duration',
      );
    }
  });

  it('refuses 10 hours at 1 M QPS: more queries than 32-bit ids', () => {
    const scenario = parseScenarioLocated(scenarioText({ duration: '10h' }).replace('qps: 100', 'qps: 1000000'), 'long.yaml').scenario;
    const estimate = estimateRun(scenario);
    expect(estimate.arrivals).toBeGreaterThan(3.6e10);
    expect(refusals(scenario, estimate, MACHINE).map((refusal) => refusal.message)).toEqual([
      'the run would have about 3.6e10 queries; query ids are 32-bit, so at most 4.3e9',
    ]);
  });

  it('refuses a run longer than the uint32 ticks of the query table hold, at the duration and the timeout', () => {
    const scenario = parseScenarioLocated(scenarioText({ duration: '120h', metrics: { samplingInterval: '1h' } }).replace('qps: 100', 'qps: 0.001'), 'ages.yaml').scenario;
    const found = refusals(scenario, estimateRun(scenario), MACHINE);
    expect(found.map((refusal) => refusal.paths.map((path) => path.join('.')))).toEqual([['duration', 'workload.queryTimeout']]);
    expect(found[0].message).toBe(
      'the run and its last query\'s timeout reach 120.0 h; the query table holds times (uint32 ticks of 0.1 ms) up to 119.3 h',
    );
  });

  it('refuses 10 000 brokers × 1 000 replica groups × 10 000 instances: too many servers, too much state', () => {
    const cluster = { brokers: 10_000, numReplicaGroups: 1000, numInstancesPerReplicaGroup: 10_000, segments: 10_000 };
    const scenario = parseScenarioLocated(scenarioText({ cluster }), 'huge.yaml').scenario;
    const found = refusals(scenario, estimateRun(scenario), MACHINE);
    expect(found.map((refusal) => refusal.paths.map((path) => path.join('.')))).toEqual([
      ['cluster.numReplicaGroups', 'cluster.numInstancesPerReplicaGroup'],
      ['cluster.brokers', 'cluster.numReplicaGroups', 'cluster.numInstancesPerReplicaGroup'],
    ]);
    expect(found[1].message).toMatch(/^the run would need about 9\.\d TiB of memory .*; this machine allows 4\.0 GiB$/);
  });

  it('announces a long run with roughly how long, and not a short one', () => {
    const short = estimateRun(parseScenarioLocated(scenarioText({ duration: '60s' }), 's.yaml').scenario);
    expect(durationNotice(short)).toBeUndefined();
    const hour = parseScenarioLocated(scenarioText({ duration: '1h' }).replace('qps: 100', 'qps: 3000'), 'h.yaml').scenario;
    expect(durationNotice(estimateRun(hour))).toMatch(
      /^this run will take roughly \d+ minutes \(about 1\.1e7 queries, [\d.]+ GiB of memory\); Ctrl-C stops it$/,
    );
  });

  it('admits the shipped reference scenario on a 4 GiB heap, within a few hundred MiB', () => {
    const text = `name: ref\nduration: 60s\n${scenarioText({}).replace('qps: 100', 'qps: 1500')}`;
    const estimate = admitScenario(parseScenarioLocated(text, 'ref.yaml'), MACHINE);
    expect(estimate.arrivals).toBeGreaterThanOrEqual(90_000);
    expect(estimate.arrivals).toBeLessThan(93_000);
    expect(estimate.memoryBytes).toBeLessThan(400 * MIB);
  });
});

/** Mostly from `min` to `small` (runs a test can afford), sometimes anywhere up to `max`. */
const mostlySmall = (min: number, small: number, max: number) =>
  fc.oneof({ arbitrary: fc.integer({ min, max: small }), weight: 4 }, { arbitrary: fc.integer({ min, max }), weight: 1 });

/** Scenarios from tiny to absurd: rates and durations over many orders of magnitude, clusters up to the schema's bounds. */
const anyScenario = fc
  .record({
    qpsExponent: mostlySmall(-2, 3, 308),
    qpsMantissa: fc.integer({ min: 1, max: 9 }),
    durationMs: mostlySmall(1, 2_000, 36_000_000_000),
    brokers: mostlySmall(1, 4, 10_000),
    groups: mostlySmall(1, 4, 1000),
    instances: mostlySmall(1, 4, 10_000),
    extraSegments: fc.integer({ min: 0, max: 20 }),
    segmentsPerQuery: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    instanceSelectorType: fc.constantFrom('replicaGroup', 'balanced', 'mirrorServerSet'),
    arrival: fc.constantFrom('poisson', 'fixed'),
  })
  .map((draw) => ({
    seed: 3,
    duration: `${draw.durationMs}ms`,
    cluster: {
      brokers: draw.brokers,
      numReplicaGroups: draw.groups,
      numInstancesPerReplicaGroup: draw.instances,
      segments: draw.instances + draw.extraSegments,
    },
    routing: { instanceSelectorType: draw.instanceSelectorType, selector: 'hybrid' },
    workload: {
      classes: [
        {
          name: 'a',
          qps: Number(`${draw.qpsMantissa}e${draw.qpsExponent}`),
          arrival: draw.arrival,
          ...(draw.segmentsPerQuery !== undefined ? { segmentsPerQuery: draw.segmentsPerQuery } : {}),
          segmentCost: { distribution: 'fixed', median: '1ms' },
        },
      ],
    },
  }));

describe('admission property', () => {
  it('any scenario the loader accepts runs to completion within its estimate, or is refused before running', () => {
    fc.assert(
      fc.property(anyScenario, (fields) => {
        let loaded;
        try {
          loaded = parseScenarioLocated(stringify(fields), 'any.yaml');
        } catch (error) {
          // Not accepted by validation (e.g. too many segments for the schema): nothing to run.
          expect(error).toBeInstanceOf(ScenarioError);
          return;
        }
        let estimate;
        try {
          estimate = admitScenario(loaded, TEST_BUDGET);
        } catch (error) {
          expect(error).toBeInstanceOf(ScenarioError);
          return;
        }
        const output = runScenario(loaded.scenario);
        expect(output.summary.arrivals).toBeLessThanOrEqual(estimate.arrivals);
        const requests = output.summary.servers.reduce((sum, server) => sum + server.requestsReceived, 0);
        expect(requests).toBeLessThanOrEqual(estimate.serverRequests);
      }),
      { numRuns: 100, seed: 5 },
    );
  });
});
