import { describe, expect, it } from 'vitest';
import { compileScenario } from '../run/compile-scenario.js';
import { parseScenario } from '../scenario/load-scenario.js';
import { playRebalance, type RebalanceStrategy } from './rebalance-play.js';

const scenario = parseScenario(
  `
name: tiny-scale-out
seed: 3
duration: 90s
cluster: { brokers: 1, numReplicaGroups: 3, numInstancesPerReplicaGroup: 2, segments: 12, server: { threads: 4 } }
routing: { instanceSelectorType: balanced, selector: hybrid }
workload:
  classes:
    - { name: q, qps: 50, segmentCost: { distribution: lognormal, median: 2ms, p99: 6ms } }
`,
  'tiny.yaml',
);

function play(strategy: RebalanceStrategy, killAtMs: number | null = null) {
  const base = compileScenario(scenario);
  const spec = { ...base, topology: { ...base.topology, numInstancesPerReplicaGroup: 3 } };
  return playRebalance(spec, {
    strategy,
    rowsBefore: 2,
    segmentSizeBytes: 50e6,
    startMs: 10_000,
    loader: { serverBandwidthBytesPerSec: 100e6, totalBandwidthBytesPerSec: 1e9, indexBuildMs: 500, externalViewLagMs: 200, pollMs: 100 },
    killAtMs,
    restartDelayMs: 3000,
    sampleMs: 500,
  });
}

describe('a scale-out rebalance played against live traffic', () => {
  it('impact-free and Pinot stepwise keep two of three replicas serving; naive leaves segments with none', () => {
    const impactFree = play('impactFree');
    const pinot = play('pinot');
    const naive = play('naive');
    expect(impactFree.summary.segmentsToAdd).toBe(12);
    for (const result of [impactFree, pinot, naive]) expect(result.doneAtMs).not.toBeNull();
    expect(impactFree.minServingReplicas).toBe(2);
    expect(pinot.minServingReplicas).toBe(2);
    expect(impactFree.queriesMissingData + pinot.queriesMissingData).toBe(0);
    expect(naive.minServingReplicas).toBe(0);
    expect(naive.queriesMissingData).toBeGreaterThan(0);
    expect(naive.worstDataMissing).toBeCloseTo(4 / 12, 5);
  });

  it('a job killed midway and restarted still ends at the target, never below the minimum', () => {
    const killed = play('impactFree', 12_000);
    expect(killed.jobEvents.some((event) => event.kind === 'stopped')).toBe(true);
    expect(killed.jobEvents.at(-1)?.kind).toBe('done');
    expect(killed.minServingReplicas).toBe(2);
  });
});
