// The cache-scenario claims on hand-made variant summaries: the Presto cache's cuts against no cache,
// the page-size trends as rank correlations, tiered storage's P99 against one second; each verdict on
// both sides of its bounds and undetermined across one.

import { describe, expect, it } from 'vitest';
import type { FinishedCell } from '../sweep/sweep-cells.js';
import { cacheScenarioClaims, cut, rankCorrelation } from './cache-scenario-claims.js';

type Variants = Record<string, Record<string, number>>;

function cell(seed: number, variants: Variants): FinishedCell {
  return { cell: { index: 0, point: 0, seed, id: `c${seed}`, scenario: 0, values: [], overrides: [] }, values: {}, seed, summary: { variants } };
}

const verdicts = (cells: Partial<Record<'softAffinity' | 'pageSize' | 'tieredStorage', FinishedCell[]>>) =>
  Object.fromEntries(cacheScenarioClaims(cells).map((c) => [c.id, c.verdict]));

/** Soft-affinity cells: per seed the soft-affinity variant's figures as fractions of no cache's (100 each). */
const presto = (fractions: { remote: number; p50: number; p95: number }[]) =>
  fractions.map((f, i) =>
    cell(i + 1, {
      'no-cache': { remoteBytes: 100, latencyP50Ms: 100, latencyP95Ms: 100 },
      random: { remoteBytes: 200, latencyP50Ms: 150, latencyP95Ms: 120 },
      'soft-affinity': { remoteBytes: 100 * f.remote, latencyP50Ms: 100 * f.p50, latencyP95Ms: 100 * f.p95 },
    }),
  );

describe('the Presto local cache claims (seed 001 section 6.1.4)', () => {
  it('cut = 1 - with / without, none when a variant is missing or the baseline is zero', () => {
    const c = presto([{ remote: 0.43, p50: 0.67, p95: 0.51 }])[0];
    expect(cut(c, 'remoteBytes', 'soft-affinity', 'no-cache')).toBeCloseTo(0.57, 12);
    expect(cut(c, 'remoteBytes', 'soft-affinity', 'absent')).toBeNull();
    expect(cut(cell(1, { a: { x: 1 }, b: { x: 0 } }), 'x', 'a', 'b')).toBeNull();
  });

  it('agree inside the read ranges, disagree outside, undetermined across', () => {
    const inside = presto([{ remote: 0.43, p50: 0.67, p95: 0.51 }, { remote: 0.42, p50: 0.66, p95: 0.5 }, { remote: 0.44, p50: 0.68, p95: 0.52 }]);
    expect(verdicts({ softAffinity: inside })).toMatchObject({ 'presto-cache-remote-bytes': 'agrees', 'presto-cache-latency-p50': 'agrees', 'presto-cache-latency-p95': 'agrees' });
    const outside = presto([{ remote: 0.88, p50: 0.01, p95: 0.6 }, { remote: 0.87, p50: 0.01, p95: 0.61 }, { remote: 0.89, p50: 0.02, p95: 0.6 }]);
    expect(verdicts({ softAffinity: outside })).toMatchObject({ 'presto-cache-remote-bytes': 'disagrees', 'presto-cache-latency-p50': 'disagrees', 'presto-cache-latency-p95': 'disagrees' });
    const across = presto([{ remote: 0.4, p50: 0.6, p95: 0.45 }, { remote: 0.5, p50: 0.7, p95: 0.55 }, { remote: 0.45, p50: 0.65, p95: 0.5 }]);
    expect(verdicts({ softAffinity: across })).toMatchObject({ 'presto-cache-remote-bytes': 'undetermined', 'presto-cache-latency-p50': 'undetermined', 'presto-cache-latency-p95': 'undetermined' });
  });

  it("name the random-scheduling comparison beside the paper's", () => {
    const claim = cacheScenarioClaims({ softAffinity: presto([{ remote: 0.43, p50: 0.67, p95: 0.51 }]) })[0];
    expect(claim.why).toContain("against random scheduling (the scenario's own comparison) the cut is 78.5 %");
  });
});

describe('the page-size claims (seed 001 section 7)', () => {
  it('rank correlation: +1 and -1 for monotone lists, ties at their mean rank, none without spread', () => {
    expect(rankCorrelation([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(rankCorrelation([1, 2, 3, 4], [40, 30, 20, 10])).toBe(-1);
    expect(rankCorrelation([1, 2, 3], [5, 5, 6])).toBeCloseTo(0.866, 3);
    expect(rankCorrelation([1, 2, 3], [5, 5, 5])).toBeNull();
    expect(rankCorrelation([1], [1])).toBeNull();
  });

  /** Per seed, the six page sizes' read amplification and remote requests, 64 KiB first. */
  const pages = (amplification: number[][], requests: number[][]) =>
    amplification.map((amp, s) =>
      cell(
        s + 1,
        Object.fromEntries(
          ['64KiB', '256KiB', '1MiB', '4MiB', '16MiB', '64MiB'].map((size, i) => [`page-${size}`, { readAmplification: amp[i], remoteRequests: requests[s][i] }]),
        ),
      ),
    );
  const rising = [1.1, 1.5, 3, 9, 33, 130];
  // The twin's own seed-1 shape: requests fall with page size except 16 MiB to 64 MiB (rho -0.94).
  const falling = [1392181, 461097, 228393, 170049, 155381, 156690];

  it('agree with rising amplification and falling requests, disagree with the reverse, undetermined across -0.8', () => {
    expect(verdicts({ pageSize: pages([rising, rising, rising], [falling, falling, falling]) })).toMatchObject({
      'page-size-read-amplification': 'agrees',
      'page-size-remote-requests': 'agrees',
    });
    const reversed = [...rising].reverse();
    expect(verdicts({ pageSize: pages([reversed, reversed, reversed], [rising, rising, rising]) })).toMatchObject({
      'page-size-read-amplification': 'disagrees',
      'page-size-remote-requests': 'disagrees',
    });
    // Requests flat above 1 MiB in one seed: rho -0.66 there, -1 and -0.94 in the others.
    const flat = [1000, 500, 300, 300, 300, 300];
    const descending = [6, 5, 4, 3, 2, 1];
    expect(verdicts({ pageSize: pages([rising, rising, rising], [flat, descending, falling]) })['page-size-remote-requests']).toBe('undetermined');
  });

  it('read the page size from the variant name and skip other variants', () => {
    const extra = pages([rising], [falling])[0];
    (extra.summary as { variants: Variants }).variants['no-page'] = { readAmplification: 0, remoteRequests: 1e9 };
    const claims = cacheScenarioClaims({ pageSize: [extra] });
    expect(claims.find((c) => c.id === 'page-size-read-amplification')?.value?.mean).toBe(1);
  });
});

describe('the tiered-storage claims (seed 000)', () => {
  const tiered = (lazy: number[], selectiveAll: number[]) => lazy.map((l, i) => cell(i + 1, { lazy: { latencyP99Ms: l }, 'selective-all': { latencyP99Ms: selectiveAll[i] } }));

  it('agree with sub-second P99 for the selective design and over a second for lazy loading', () => {
    expect(verdicts({ tieredStorage: tiered([12000, 11000, 13000], [115, 120, 118]) })).toMatchObject({
      'tiered-storage-selective-p99': 'agrees',
      'tiered-storage-lazy-p99': 'agrees',
    });
    expect(verdicts({ tieredStorage: tiered([800, 700, 750], [1500, 1600, 1550]) })).toMatchObject({
      'tiered-storage-selective-p99': 'disagrees',
      'tiered-storage-lazy-p99': 'disagrees',
    });
    expect(verdicts({ tieredStorage: tiered([600, 1400, 1000], [600, 1400, 1000]) })).toMatchObject({
      'tiered-storage-selective-p99': 'undetermined',
      'tiered-storage-lazy-p99': 'undetermined',
    });
    expect(verdicts({})['tiered-storage-lazy-p99']).toBe('undetermined');
  });
});
