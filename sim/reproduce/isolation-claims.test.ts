// The noisy-neighbour and fairness claims on hand-made cells: each verdict at both sides of its
// range's bounds, and undetermined where an interval straddles one or nothing was measured.

import { describe, expect, it } from 'vitest';
import type { FinishedCell } from '../sweep/sweep-cells.js';
import { fairnessClaims, hotRejectionShare, NOISY_MIX_PATH, noisyNeighbourClaims, rejectionSpread } from './isolation-claims.js';

const SEEDS = [1, 2, 3];
const BASELINE = { distribution: 'lognormal', median: '20ms', p99: '80ms' };
const HEAVY = { distribution: 'lognormal', median: '60ms', p99: '240ms' };

function cell(values: Record<string, unknown>, seed: number, summary: unknown): FinishedCell {
  return { cell: { index: 0, point: 0, seed, id: `c${seed}`, scenario: 0, values: Object.values(values), overrides: [] }, values, seed, summary };
}

/** Noisy-neighbour cells: w2's p95 per seed in each phase, w1's budget accuracy with QWI. */
function noisy(p95: { baseline: number[]; without: number[]; with: number[] }, w1Accuracy: number[]): FinishedCell[] {
  const run = (w2p95: number, accuracy: number | null) => ({
    workloads: [
      { workload: 'w1', latencyMs: { p95: 1 }, cpuBudgetAccuracy: accuracy },
      { workload: 'w2', latencyMs: { p95: w2p95 }, cpuBudgetAccuracy: null },
    ],
  });
  return SEEDS.flatMap((seed, i) => [
    cell({ [NOISY_MIX_PATH]: BASELINE, 'isolation.enforceBudgets': false }, seed, run(p95.baseline[i], null)),
    cell({ [NOISY_MIX_PATH]: HEAVY, 'isolation.enforceBudgets': false }, seed, run(p95.without[i], null)),
    cell({ [NOISY_MIX_PATH]: HEAVY, 'isolation.enforceBudgets': true }, seed, run(p95.with[i], w1Accuracy[i])),
  ]);
}

const verdicts = (cells: FinishedCell[]) => Object.fromEntries(noisyNeighbourClaims({ noisyNeighbour: cells }).map((c) => [c.id, c.verdict]));

describe('the noisy-neighbour claims (seed 004 Figure 8)', () => {
  it('agree when the victim spikes 10x without QWI and stays within 5 % with it, w1 at its budget', () => {
    const v = verdicts(noisy({ baseline: [50, 50, 50], without: [600, 610, 620], with: [51, 50.5, 51.5] }, [1.0, 1.01, 0.99]));
    expect(v).toEqual({ 'qwi-noisy-neighbour-without-qwi': 'agrees', 'qwi-noisy-neighbour-with-qwi': 'agrees', 'qwi-noisy-neighbour-budget-held': 'agrees' });
  });

  it('disagree when the whole interval lies past the bounds', () => {
    const v = verdicts(noisy({ baseline: [50, 50, 50], without: [450, 440, 445], with: [150, 152, 154] }, [1.07, 1.07, 1.071]));
    expect(v).toEqual({ 'qwi-noisy-neighbour-without-qwi': 'disagrees', 'qwi-noisy-neighbour-with-qwi': 'disagrees', 'qwi-noisy-neighbour-budget-held': 'disagrees' });
  });

  it('are undetermined when the seeds straddle a bound, or a phase is missing', () => {
    const v = verdicts(noisy({ baseline: [50, 50, 50], without: [400, 600, 500], with: [48, 55, 50] }, [0.9, 1.0, 1.1]));
    expect(Object.values(v)).toEqual(['undetermined', 'undetermined', 'undetermined']);
    const withoutBaseline = noisy({ baseline: [50, 50, 50], without: [600, 600, 600], with: [50, 50, 50] }, [1, 1, 1]).filter((c) => c.values[NOISY_MIX_PATH] !== BASELINE);
    const claims = noisyNeighbourClaims({ noisyNeighbour: withoutBaseline });
    expect(claims[0].verdict).toBe('undetermined');
    expect(claims[0].why).toMatch(/^nothing was measured/);
  });

  it('pair the phases by seed: the ratio of each seed, not of the means', () => {
    const claim = noisyNeighbourClaims({ noisyNeighbour: noisy({ baseline: [10, 100, 1000], without: [100, 1000, 10000], with: [10, 100, 1000] }, [1, 1, 1]) })[0];
    expect(claim.value).toEqual({ mean: 10, low: 10, high: 10, n: 3 });
  });
});

/** A fairness cell: per server (positions 0..3 of one replica group) its requests received and rejected. */
function placement(segments: number, qps: number, seed: number, servers: [number, number][]): FinishedCell {
  return cell({ 'cluster.segments': segments, 'workload.classes.0.qps': qps }, seed, {
    servers: servers.map(([requestsReceived, requestsRejected], i) => ({ server: `server-0-${i}`, requestsReceived, requestsRejected })),
  });
}

describe('the fairness claims (seed 004 Figure 9)', () => {
  it("measure the hot servers' share of the rejections (hot: holding the most segments, not receiving the most requests) and the spread", () => {
    // 6 segments over 4 positions: positions 0 and 1 hold two each. Every server receives the same requests.
    const skewed = placement(6, 600, 1, [[2000, 900], [2000, 1000], [2000, 100], [2000, 0]]);
    expect(hotRejectionShare(skewed)).toBeCloseTo(1900 / 2000, 12);
    const twoGroups = cell({ 'cluster.segments': 6 }, 1, {
      servers: ['server-0-0', 'server-0-1', 'server-0-2', 'server-0-3', 'server-1-0', 'server-1-1', 'server-1-2', 'server-1-3'].map((server, i) => ({
        server,
        requestsReceived: 100,
        requestsRejected: i % 4 === 3 ? 100 : 0,
      })),
    });
    expect(hotRejectionShare(twoGroups)).toBe(0);
    // 8 segments over 4 positions: none is hot.
    expect(hotRejectionShare(placement(8, 1200, 1, [[2000, 100], [2000, 100], [2000, 100], [2000, 100]]))).toBeNull();
    expect(rejectionSpread(placement(8, 1200, 1, [[2000, 100], [2000, 100]]))).toBe(0);
    expect(rejectionSpread(placement(8, 1200, 1, [[2000, 0], [2000, 0]]))).toBeNull();
    expect(hotRejectionShare(placement(6, 600, 1, [[2000, 0], [1000, 0]]))).toBeNull();
  });

  const judge = (hotShare: number[], cold: number[][]) => {
    const cells = SEEDS.flatMap((seed, i) => [
      // Hot servers take `hotShare` of 1000 rejections.
      placement(6, 600, seed, [[2000, 500 * hotShare[i]], [2000, 500 * hotShare[i]], [1000, 500 * (1 - hotShare[i])], [1000, 500 * (1 - hotShare[i])]]),
      placement(8, 1200, seed, cold[i].map((r) => [2000, r] as [number, number])),
      // Off-diagonal points the claims must not read.
      placement(6, 1200, seed, [[2000, 0], [1000, 5000]]),
      placement(8, 600, seed, [[2000, 0], [2000, 9000]]),
    ]);
    return Object.fromEntries(fairnessClaims({ skewedPlacement: cells }).map((c) => [c.id, c.verdict]));
  };

  it('agree, disagree and stay undetermined at the bounds', () => {
    expect(judge([1, 1, 1], [[100, 101, 99, 100], [100, 100, 100, 100], [98, 102, 100, 100]])).toEqual({
      'qwi-skewed-rejections-on-hot-hosts': 'agrees',
      'qwi-balanced-rejections-even': 'agrees',
    });
    expect(judge([0.6, 0.62, 0.61], [[50, 150, 50, 150], [50, 150, 50, 150], [60, 140, 60, 140]])).toEqual({
      'qwi-skewed-rejections-on-hot-hosts': 'disagrees',
      'qwi-balanced-rejections-even': 'disagrees',
    });
    expect(judge([0.8, 1, 0.95], [[100, 100, 100, 100], [50, 150, 50, 150], [100, 100, 100, 100]])).toEqual({
      'qwi-skewed-rejections-on-hot-hosts': 'undetermined',
      'qwi-balanced-rejections-even': 'undetermined',
    });
  });
});
