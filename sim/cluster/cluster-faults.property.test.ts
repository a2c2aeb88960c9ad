import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../run/run-scenario.js';
import { parseScenario } from '../scenario/load-scenario.js';

/** A small cluster under random zone drains, outages, rebalances, scale events and churn. */
const faultText = fc.oneof(
  fc.record({ zone: fc.constantFrom('a', 'b', 'c'), start: fc.integer({ min: 0, max: 25 }), length: fc.integer({ min: 1, max: 10 }), planned: fc.boolean() })
    .map((f) => `  - { kind: zoneDrain, zone: ${f.zone}, start: ${f.start}s, end: ${f.start + f.length}s, planned: ${f.planned} }`),
  fc.record({ start: fc.integer({ min: 0, max: 25 }), strategy: fc.constantFrom('impactFree', 'pinot', 'naive'), placement: fc.constantFrom('mzAware', 'zoneOblivious') })
    .map((f) => `  - { kind: rebalance, start: ${f.start}s, strategy: ${f.strategy}, placement: ${f.placement} }`),
  fc.record({ start: fc.integer({ min: 0, max: 25 }), instances: fc.integer({ min: 2, max: 5 }) })
    .map((f) => `  - { kind: scale, start: ${f.start}s, numInstancesPerReplicaGroup: ${f.instances} }`),
  fc.integer({ min: 500, max: 5000 }).map((rate) => `  - { kind: nodeChurn, start: 0s, failuresPerServerPerDay: ${rate}, replacementDelay: 2s }`),
);

/** Runs a small cluster under the given faults and checks what must hold whatever they are. */
function runAndCheck(faults: readonly string[], seed: number, layout: string): void {
  const out = runScenario(
    parseScenario(
      `
name: random-cluster-faults
seed: ${seed}
duration: 30s
cluster:
  brokers: 2
  numReplicaGroups: 3
  numInstancesPerReplicaGroup: 3
  segments: 12
  server: { threads: 2 }
  maintenanceZones: { zones: [a, b, c], serverZones: ${layout} }
  segmentLoading: { segmentSize: 20MB, indexBuildTime: 100ms, externalViewLag: 50ms }
workload:
  queryTimeout: 2s
  classes:
    - { name: q, qps: 40, segmentsPerQuery: 4, segmentCost: { distribution: lognormal, median: 1ms, p99: 4ms } }
faults:
${faults.join('\n')}
`,
      'random.yaml',
    ),
  );
  const { summary } = out;
  const ended = Object.values(summary.outcomes).reduce((a, b) => a + b, 0);
  expect(ended).toBe(summary.arrivals);
  const cluster = summary.cluster!;
  expect(cluster.availability).toBeGreaterThanOrEqual(0);
  expect(cluster.availability).toBeLessThanOrEqual(1);
  expect(cluster.segmentAvailability).toBeGreaterThanOrEqual(0);
  expect(cluster.segmentAvailability).toBeLessThanOrEqual(1);
  expect(cluster.queriesMissingData).toBeLessThanOrEqual(summary.arrivals);
  expect(cluster.worstDataMissing).toBeLessThanOrEqual(1);
  expect(cluster.timeWithDataMissingMs).toBeLessThanOrEqual(30_000);
  expect(cluster.churn.replacements).toBeLessThanOrEqual(cluster.churn.failures);
  for (const move of cluster.moves) expect(['running', 'done', 'failed', 'superseded']).toContain(move.outcome);
}

describe('cluster faults at random', () => {
  it('every query ends exactly once, and the cluster figures stay within their bounds', () => {
    fc.assert(
      fc.property(fc.array(faultText, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 1000 }), fc.constantFrom('interleaved', 'random'), runAndCheck),
      { numRuns: 12 },
    );
  });

  it('a download under way when its server fails does not load the replica the replacement downloads again (seed 370248971 found it)', () => {
    runAndCheck(
      ['  - { kind: nodeChurn, start: 0s, failuresPerServerPerDay: 1486, replacementDelay: 2s }', '  - { kind: rebalance, start: 0s, strategy: impactFree, placement: mzAware }'],
      403,
      'interleaved',
    );
  });
});
